package io.spacecrab.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the account's IAM users are named, learned from a sample of their names, and new names in
 * that style: a generated name takes the shape of one of the sample's names (its separators, its
 * runs of letters and digits, their case and lengths) and fills each letter run with a word that
 * the account uses at that place in names of that shape (or, where it has none, an ordinary word
 * of similar length), each digit run with other digits. So the names an attacker with IAM read
 * access sees among the tokens are distributed like the account's own, except that no shape is
 * used for more than about {@link #MAX_SHAPE_SHARE} of them. An account with few users (fewer than
 * {@link #MIN_SAMPLE}) adds a built-in sample of varied, ordinary names. Pure and deterministic: the same sample, seed
 * and attempt always give the same name, so a retry after a crash finds the same user.
 */
public final class UserNameStyle {
  /** At most this many of the account's names are kept (every k-th, in sorted order). */
  static final int MAX_SAMPLE = 500;
  /** An account with fewer names than this says little about its style: the built-in sample is added. */
  static final int MIN_SAMPLE = 20;
  private static final int MAX_LENGTH = 64;
  /**
   * Runs of a name: a short word with digits in it ({@code s3}, {@code ec2}, {@code k8s}) is a word
   * of its own, kept whole; otherwise letters, digits and other characters each form a run.
   */
  private static final Pattern RUN =
      Pattern.compile("(?<![A-Za-z0-9])[A-Za-z]{1,3}[0-9]+[A-Za-z]*(?![A-Za-z0-9])|[A-Za-z]+|[0-9]+|[^A-Za-z0-9]+");
  private static final Pattern VALID = Pattern.compile("^[A-Za-z0-9+=,.@_-]{1,64}$");

  /** Plain words for letter runs the account gives no word for. */
  static final List<String> WORDS = List.of("app", "api", "web", "data", "sync", "backup", "deploy", "build",
      "batch", "report", "export", "import", "etl", "ops", "infra", "admin", "svc", "service", "worker", "agent",
      "runner", "jenkins", "gitlab", "github", "terraform", "ansible", "grafana", "metrics", "logs", "audit",
      "billing", "payments", "orders", "search", "cache", "queue", "mail", "notify", "scanner", "monitor",
      "analytics", "reporting", "ingest", "stream", "archive", "storage", "uploader", "reader", "writer", "sftp",
      "prod", "stage", "dev", "test", "ci", "cd", "bot", "sa", "int", "ext", "legacy", "partner", "vendor", "tool",
      "alice", "ben", "carla", "david", "emma", "frank", "grace", "henry", "irene", "jack", "kate", "liam", "maria",
      "nina", "oscar", "paul", "rosa", "sam", "tina", "victor", "smith", "jones", "brown", "miller", "davis",
      "garcia", "wilson", "moore", "taylor", "thomas", "martin", "lee", "walker", "hall", "young", "king");

  /** Names of a varied, ordinary account, for an account that has no users of its own yet. */
  static final List<String> BUILT_IN = List.of(
      "svc-backup", "ci-deploy", "gitlab-runner", "log-shipper",
      "jenkins", "terraform", "dmoore", "ejones",
      "alice.walker", "carla.davis", "payments.svc", "kate.young",
      "frank_hall", "metrics_exporter", "legacy_ftp", "cost_reader",
      "ReportingService", "DataExport", "AuditReader", "DeployBot",
      "etl-loader-01", "backup-agent-02", "ingest-worker-3", "sftp-partner-7",
      "analytics2", "tableau1", "reporter9", "jira3",
      "s3-sync-prod", "k8s-dns-updater", "ec2-patch-runner", "r53-zone-admin",
      "svc_billing_prod", "svc_orders_dev", "app_search_ro", "ops_oncall_rw",
      "grafana-reader-prod", "billing-api-stage", "export-job-nightly", "vault-agent-dev");

  /** No shape is picked for more than about this share of names, however common it is in the account. */
  static final double MAX_SHAPE_SHARE = 0.10;

  private final List<String> sample;
  private final Set<String> sampleNames;
  /** Per shape (the name's sequence of run kinds) and position: the letter words seen there. */
  private final Map<String, List<String>> wordsAt = new HashMap<>();
  /** The sample's names by collapsed shape, and each shape's weight (its count, capped). */
  private final List<List<String>> byShape = new ArrayList<>();
  private final double[] cumulative;

  private UserNameStyle(List<String> sample) {
    this.sample = sample;
    this.sampleNames = Set.copyOf(sample);
    for (String name : sample) {
      List<String> runs = runs(name);
      String shape = shape(runs);
      for (int i = 0; i < runs.size(); i++) {
        String run = runs.get(i);
        if (Character.isLetter(run.charAt(0))) {
          wordsAt.computeIfAbsent(shape + "@" + i, k -> new ArrayList<>()).add(run.toLowerCase(Locale.ROOT));
        }
      }
    }
    wordsAt.replaceAll((k, v) -> List.copyOf(new TreeSet<>(v)));
    Map<String, List<String>> shapes = new java.util.TreeMap<>();
    sample.forEach(n -> shapes.computeIfAbsent(collapsedShape(n), k -> new ArrayList<>()).add(n));
    byShape.addAll(shapes.values());
    // a shape the account uses a lot is picked as often as the cap allows, so no single shape
    // marks a large share of the tokens, while rare shapes keep their share
    double cap = Math.max(1, MAX_SHAPE_SHARE * sample.size());
    cumulative = new double[byShape.size()];
    double total = 0;
    for (int i = 0; i < byShape.size(); i++) {
      total += Math.min(byShape.get(i).size(), cap);
      cumulative[i] = total;
    }
  }

  /**
   * The style of these names (the account's users); the built-in sample when there are none. At
   * most {@link #MAX_SAMPLE} valid names are kept: every k-th of the sorted names.
   */
  public static UserNameStyle learn(Collection<String> accountNames) {
    List<String> valid = new ArrayList<>(new TreeSet<>(accountNames.stream()
        .filter(n -> n != null && VALID.matcher(n).matches()).toList()));
    if (valid.size() < MIN_SAMPLE) {
      // a new, dedicated account (the recommended place for tokens) has a user or two
      valid.addAll(BUILT_IN);
      return new UserNameStyle(List.copyOf(new TreeSet<>(valid)));
    }
    if (valid.size() > MAX_SAMPLE) {
      List<String> every = new ArrayList<>();
      double step = valid.size() / (double) MAX_SAMPLE;
      for (int i = 0; i < MAX_SAMPLE; i++) {
        every.add(valid.get((int) (i * step)));
      }
      valid = every;
    }
    return new UserNameStyle(List.copyOf(valid));
  }

  /** The sample as text, one name a line: what is kept so that the style survives a restart. */
  public String text() {
    return String.join("\n", sample) + "\n";
  }

  /** The style kept by {@link #text()}. */
  public static UserNameStyle parse(String text) {
    return learn(List.of(text.split("\n")));
  }

  /** The names this style was learned from. */
  public List<String> sample() {
    return sample;
  }

  /**
   * A name in this style for {@code seed} (the token's identity); {@code attempt} 1, 2, … give
   * further names for when the first is taken. Always a valid IAM user name of at most 64 characters.
   */
  public String render(String seed, int attempt) {
    // a name the sample holds is one of the account's own users: taken for sure, so draw its
    // words again (same shape, so the distribution of shapes stays as it is)
    String templateSeed = seed + "#" + attempt;
    String name = renderOnce(templateSeed, templateSeed);
    for (int draw = 1; draw < 10 && sampleNames.contains(name); draw++) {
      name = renderOnce(templateSeed, templateSeed + "/" + draw);
    }
    return name;
  }

  private String renderOnce(String templateSeed, String wordSeed) {
    byte[] digest = sha256(templateSeed);
    byte[] words = sha256(wordSeed);
    double u = Integer.toUnsignedLong(intAt(digest, 0)) / 4294967296.0 * cumulative[cumulative.length - 1];
    int shape = 0;
    while (shape < cumulative.length - 1 && cumulative[shape] <= u) {
      shape++;
    }
    List<String> names = byShape.get(shape);
    String template = names.get(Math.floorMod(intAt(digest, 4), names.size()));
    int at = 8;
    List<String> runs = runs(template);
    String kinds = shape(runs);
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < runs.size(); i++) {
      String run = runs.get(i);
      int pick = intAt(words, at % (words.length - 3));
      at += 3;
      if (Character.isLetter(run.charAt(0)) && run.chars().anyMatch(Character::isDigit)) {
        name.append(run); // s3, ec2, k8s: a technical word, kept as it is
      } else if (Character.isLetter(run.charAt(0))) {
        name.append(caseLike(run, word(kinds + "@" + i, run, pick)));
      } else if (Character.isDigit(run.charAt(0))) {
        name.append(digitsLike(run, pick));
      } else {
        name.append(run);
      }
    }
    String rendered = name.toString();
    if (rendered.length() > MAX_LENGTH) {
      rendered = rendered.substring(0, MAX_LENGTH);
    }
    return VALID.matcher(rendered).matches() ? rendered : "svc-" + Integer.toHexString(intAt(digest, 0));
  }

  /**
   * The collapsed shape of a name: each character replaced by its class (a lower-case letter
   * {@code a}, an upper-case one {@code A}, a digit {@code 0}, anything else itself) and runs of
   * one class collapsed: {@code alice.walker} and {@code ben.moore} are {@code a.a},
   * {@code ReportingService} is {@code AaAa}, {@code s3-sync-02} is {@code a0-a-0}.
   */
  public static String collapsedShape(String name) {
    StringBuilder b = new StringBuilder();
    char last = 0;
    for (char ch : name.toCharArray()) {
      char c = Character.isLowerCase(ch) ? 'a' : Character.isUpperCase(ch) ? 'A' : Character.isDigit(ch) ? '0' : ch;
      boolean collapses = c == last && (c == 'a' || c == 'A' || c == '0');
      if (!collapses) {
        b.append(c);
      }
      last = c;
    }
    return b.toString();
  }

  /** A word used at this place in names of this shape, else a plain word of about the run's length. */
  private String word(String place, String run, int pick) {
    List<String> seen = wordsAt.getOrDefault(place, List.of());
    // mostly the account's own words at that place; now and then a plain one, so names vary
    if (!seen.isEmpty() && Math.floorMod(pick, 4) != 0) {
      return seen.get(Math.floorMod(pick >> 2, seen.size()));
    }
    List<String> near = WORDS.stream().filter(w -> Math.abs(w.length() - run.length()) <= 2).toList();
    List<String> from = near.isEmpty() ? WORDS : near;
    return from.get(Math.floorMod(pick >> 2, from.size()));
  }

  /** The word in the case of the run it replaces: lower, UPPER or Capitalized. */
  private static String caseLike(String run, String word) {
    if (run.length() > 1 && run.equals(run.toUpperCase(Locale.ROOT))) {
      return word.toUpperCase(Locale.ROOT);
    }
    if (Character.isUpperCase(run.charAt(0))) {
      return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }
    return word;
  }

  /** Digits of the same length; a leading zero only where the run had one. */
  private static String digitsLike(String run, int pick) {
    StringBuilder b = new StringBuilder();
    long n = Integer.toUnsignedLong(pick);
    for (int i = 0; i < run.length(); i++) {
      int d = (int) (n % 10);
      n = n / 10 + 7;
      if (i == 0 && run.charAt(0) != '0' && d == 0) {
        d = 1 + Math.floorMod(pick, 9);
      }
      b.append(d);
    }
    return b.toString();
  }

  private static List<String> runs(String name) {
    List<String> runs = new ArrayList<>();
    Matcher m = RUN.matcher(name);
    while (m.find()) {
      String run = m.group();
      // camelCase: "ReportingService" is two words
      if (Character.isLetter(run.charAt(0)) && run.chars().allMatch(Character::isLetter)) {
        runs.addAll(splitCamel(run));
      } else {
        runs.add(run);
      }
    }
    return runs;
  }

  private static List<String> splitCamel(String letters) {
    List<String> words = new ArrayList<>();
    int start = 0;
    for (int i = 1; i < letters.length(); i++) {
      if (Character.isUpperCase(letters.charAt(i)) && Character.isLowerCase(letters.charAt(i - 1))) {
        words.add(letters.substring(start, i));
        start = i;
      }
    }
    words.add(letters.substring(start));
    return words;
  }

  private static String shape(List<String> runs) {
    StringBuilder b = new StringBuilder();
    for (String run : runs) {
      char c = run.charAt(0);
      b.append(Character.isLetter(c) ? (Character.isUpperCase(c) ? "A" : "a") : Character.isDigit(c) ? "0" : run);
      b.append('|');
    }
    return b.toString();
  }

  private static int intAt(byte[] b, int i) {
    return ((b[i] & 0xff) << 24) | ((b[i + 1] & 0xff) << 16) | ((b[i + 2] & 0xff) << 8) | (b[i + 3] & 0xff);
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Distinct collapsed shapes of these names (for tests and docs). */
  static Set<String> shapes(Collection<String> names) {
    Set<String> shapes = new LinkedHashSet<>();
    names.forEach(n -> shapes.add(collapsedShape(n)));
    return shapes;
  }
}
