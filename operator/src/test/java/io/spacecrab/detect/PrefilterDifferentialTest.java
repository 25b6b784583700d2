package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.detect.CloudTrailFileException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The prefilter changes nothing but speed: parsing with it (the matcher as the filter) and
 * without it (the same matcher's {@code mightMatch} as a plain filter) delivers the same records,
 * the same matches in the same order and the same failure, on random corpora, on the fixtures and
 * on the 50 MB file of {@link LargeFileTest}.
 */
class PrefilterDifferentialTest {
  private static final String B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  private static final String OUR = CloudTrailFixtures.OUR_ACCOUNT;
  private static final String OTHER = CloudTrailFixtures.OTHER_ACCOUNT;

  /** What one parse produced. */
  record Outcome(List<CloudTrailRecord> delivered, List<String> matches, int records, Reason failure) {}

  @Test
  void randomCorporaGiveTheSameMatchesWithAndWithoutThePrefilter() throws Exception {
    Random rnd = new Random(20261202);
    long seen = 0;
    long matched = 0;
    for (int file = 0; file < 400; file++) {
      Corpus corpus = new Corpus(rnd, file % 4 == 3 ? 64 : CloudTrailLimits.DEFAULTS.maxFieldChars());
      int n = rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(2000) : rnd.nextInt(60);
      String json = corpus.file(n);
      byte[] gz = CloudTrailFixtures.gzip(json);
      if (rnd.nextInt(10) == 0) {
        gz = Arrays.copyOf(gz, rnd.nextInt(gz.length)); // cut off: a truncated download
      }
      CloudTrailLimits limits = corpus.limits();
      if (rnd.nextInt(8) == 0) {
        // over the decompressed-size bound somewhere: the records before it count
        limits = limits.withMaxDecompressedBytes(1 + rnd.nextInt(json.length() + 1));
      }
      CloudTrailParser parser = new CloudTrailParser(limits);
      long chunkSeed = rnd.nextLong();
      int maxChunk = new int[] {1, 5, 100, 4096, Integer.MAX_VALUE}[rnd.nextInt(5)];
      if (maxChunk == 1 && gz.length > 20_000) {
        maxChunk = 3;
      }
      Outcome off = parse(parser, gz, corpus.registry, false, chunkSeed, maxChunk);
      Outcome on = parse(parser, gz, corpus.registry, true, chunkSeed, maxChunk);
      assertSame("file " + file, on, off);
      seen += off.delivered().size();
      matched += off.matches().size();
    }
    // the corpora do exercise matching
    assertThat(matched).isGreaterThan(1000);
    assertThat(seen).isGreaterThan(matched);
  }

  @Test
  void fixturesGiveTheSameMatchesWithAndWithoutThePrefilter() throws Exception {
    RegistrySnapshot registry =
        RegistrySnapshot.of(List.of(CloudTrailFixtures.tokenEntry(RegistryState.Active)));
    List<String> names;
    try (Stream<Path> files = Files.list(Path.of(resource("/cloudtrail")))) {
      names = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(names).hasSizeGreaterThan(10);
    List<String> records = new ArrayList<>();
    for (String name : names) {
      String record = CloudTrailFixtures.fixture(name);
      records.add(record);
      // each fixture alone, as a record and as a document, pretty and compact
      for (String doc :
          List.of(
              CloudTrailFixtures.logFileOf(record),
              CloudTrailFixtures.logFileOf(record.replaceAll("\\n\\s*", "")),
              record)) {
        compare(name, new CloudTrailParser(), CloudTrailFixtures.gzip(doc), registry);
      }
    }
    // all of them in one file, in both orders
    compare("all", new CloudTrailParser(), CloudTrailFixtures.gzip(CloudTrailFixtures.logFileOf(records.toArray(String[]::new))), registry);
    List<String> reversed = new ArrayList<>(records);
    java.util.Collections.reverse(reversed);
    Outcome all =
        compare("reversed", new CloudTrailParser(), CloudTrailFixtures.gzip(CloudTrailFixtures.logFileOf(reversed.toArray(String[]::new))), registry);
    assertThat(all.matches()).hasSizeGreaterThanOrEqualTo(5);
  }

  @Test
  void theFiftyMegabyteFileGivesTheSameMatchesWithAndWithoutThePrefilter() throws Exception {
    var caller =
        io.spacecrab.testing.CloudTrailFiles.Caller.of(
            "AKIAIOSFODNN7EXAMPLE", "AIDAEXAMPLEPRINCIPAL1", "arn:aws:iam::123456789012:user/ci-build-1");
    RegistrySnapshot registry =
        RegistrySnapshot.of(
            List.of(
                new RegistryRecord(
                    caller.accessKeyId(), caller.principalId(), caller.userName(), caller.arn(), "c",
                    "apps", "ci", "uid-ci", "team", "here", null, null, RegistryState.Active, null, null)));
    Path file = Files.createTempFile("cloudtrail", ".json.gz");
    try {
      long records = LargeFileTest.writeLargeFile(file, caller);
      CloudTrailParser parser = new CloudTrailParser();
      Outcome off = parseFile(parser, file, registry, false);
      Outcome on = parseFile(parser, file, registry, true);
      assertSame("50 MB file", on, off);
      assertThat(off.records()).isEqualTo(records);
      assertThat(off.matches()).hasSize(2);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Outcome parseFile(CloudTrailParser parser, Path file, RegistrySnapshot registry, boolean prefilter)
      throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      return parse(parser, in, registry, prefilter);
    }
  }

  private static Outcome compare(String what, CloudTrailParser parser, byte[] gz, RegistrySnapshot registry)
      throws IOException {
    Outcome off = parse(parser, gz, registry, false, 1, Integer.MAX_VALUE);
    Outcome on = parse(parser, gz, registry, true, 1, Integer.MAX_VALUE);
    assertSame(what, on, off);
    return off;
  }

  private static void assertSame(String what, Outcome on, Outcome off) {
    assertThat(on.failure()).as(what + ": failure").isEqualTo(off.failure());
    assertThat(on.matches()).as(what + ": matches").isEqualTo(off.matches());
    assertThat(on.delivered()).as(what + ": records delivered").isEqualTo(off.delivered());
    if (off.failure() == null) {
      assertThat(on.records()).as(what + ": records counted").isEqualTo(off.records());
    }
  }

  static Outcome parse(
      CloudTrailParser parser, byte[] gz, RegistrySnapshot registry, boolean prefilter, long seed, int maxChunk)
      throws IOException {
    return parse(parser, new Chunked(gz, new Random(seed), maxChunk), registry, prefilter);
  }

  static Outcome parse(CloudTrailParser parser, InputStream in, RegistrySnapshot registry, boolean prefilter)
      throws IOException {
    TokenMatcher matcher = new TokenMatcher(registry);
    RecordFilter filter = prefilter ? matcher : matcher::mightMatch;
    List<CloudTrailRecord> delivered = new ArrayList<>();
    List<String> matches = new ArrayList<>();
    int records;
    Reason failure = null;
    try {
      records =
          parser
              .parse(
                  in,
                  filter,
                  r -> {
                    delivered.add(r);
                    matcher
                        .match(r)
                        .ifPresentOrElse(
                            m -> matches.add(r.eventId() + " " + m.entry().accessKeyId() + " " + m.matchedBy()),
                            () -> {
                              if (r.accessKeyId() != null && matcher.looksLikeOurs(r.accessKeyId())) {
                                matches.add(r.eventId() + " unknown key of ours");
                              }
                            });
                  })
              .records();
    } catch (CloudTrailFileException e) {
      failure = e.reason();
      records = e.summary().records();
    }
    return new Outcome(delivered, matches, records, failure);
  }

  private static java.net.URI resource(String name) throws URISyntaxException {
    return PrefilterDifferentialTest.class.getResource(name).toURI();
  }

  /** A source that returns the bytes in random chunks of at most maxChunk, so inflater output is cut anywhere. */
  private static final class Chunked extends InputStream {
    private final byte[] bytes;
    private final Random rnd;
    private final int maxChunk;
    private int pos;

    Chunked(byte[] bytes, Random rnd, int maxChunk) {
      this.bytes = bytes;
      this.rnd = rnd;
      this.maxChunk = maxChunk;
    }

    @Override
    public int read() {
      return pos < bytes.length ? bytes[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= bytes.length) {
        return -1;
      }
      int n = Math.min(len, bytes.length - pos);
      if (maxChunk != Integer.MAX_VALUE) {
        n = Math.min(n, 1 + rnd.nextInt(maxChunk));
      }
      System.arraycopy(bytes, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /**
   * A random org trail around a few tokens: every identity shape (key, minted session key,
   * principal, ARN, user name in and out of the token's account, unknown key of a token account),
   * identity values written with JSON escapes, escapes and non-ASCII text elsewhere, identifiers
   * outside the identity, fields in any order, any whitespace, tiny and huge records, deep nesting,
   * non-object elements.
   */
  static final class Corpus {
    final Random rnd;
    final int maxFieldChars;
    final List<RegistryRecord> tokens = new ArrayList<>();
    final RegistrySnapshot registry;
    final List<String> minted = new ArrayList<>();
    int eventIds;

    Corpus(Random rnd, int maxFieldChars) {
      this.rnd = rnd;
      this.maxFieldChars = maxFieldChars;
      tokens.add(CloudTrailFixtures.tokenEntry(RegistryState.Active));
      for (int i = 0; i < 5; i++) {
        String user = "svc-" + i + "-" + base32(4).toLowerCase();
        tokens.add(entry(keyId("AKIA", Long.parseLong(OUR)), user, "arn:aws:iam::" + OUR + ":user/" + user));
      }
      // a user whose ARN is exactly as long as a kept field: a longer value cut there matches it
      String path = "/" + "p".repeat(Math.max(1, maxFieldChars - 40)) + "/";
      String longArn = "arn:aws:iam::" + OUR + ":user" + path + "long-user";
      longArn = longArn.substring(0, Math.min(longArn.length(), maxFieldChars));
      tokens.add(entry(keyId("AKIA", Long.parseLong(OUR)), "long-user", longArn));
      tokens.add(new RegistryRecord(keyId("AKIA", 999_988_887_777L), null, null, null, null, "ns", "n", "u", "o", "l", null, null,
          RegistryState.Retired, null, null));
      registry = RegistrySnapshot.of(tokens);
    }

    CloudTrailLimits limits() {
      return new CloudTrailLimits(1L << 30, 1_000_000, maxFieldChars, 1 << 20);
    }

    private RegistryRecord entry(String key, String user, String arn) {
      return new RegistryRecord(key, "AIDA" + base32(17), user, arn, null, "ns", user, "uid-" + user, "o", "l", null, null,
          RegistryState.values()[rnd.nextInt(RegistryState.values().length)], null, null);
    }

    String file(int n) {
      StringBuilder sb = new StringBuilder();
      sb.append(ws()).append('{').append(ws());
      if (rnd.nextInt(5) == 0) {
        sb.append("\"Other\"").append(ws()).append(':').append(ws()).append("[{\"a\":1},").append(record()).append(']').append(',');
      }
      sb.append("\"Records\"").append(ws()).append(':').append(ws()).append('[');
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sb.append(ws()).append(',').append(ws());
        }
        sb.append(element());
      }
      sb.append(ws()).append(']').append(ws()).append('}').append(ws());
      String json = sb.toString();
      if (rnd.nextInt(25) == 0) {
        json = json.substring(0, rnd.nextInt(json.length())); // malformed: the JSON stops early
      }
      return json;
    }

    private String element() {
      int dice = rnd.nextInt(200);
      return switch (dice) {
        case 0 -> "{}";
        case 1 -> "null";
        case 2 -> "42";
        case 3 -> "\"{\\\"userIdentity\\\":{}}\"";
        case 4 -> "[" + record() + "]";
        default -> record();
      };
    }

    String record() {
      List<String> fields = new ArrayList<>();
      fields.add(field("eventVersion", str("1.0" + (8 + rnd.nextInt(2)))));
      fields.add(field("userIdentity", identity()));
      fields.add(field("eventTime", str("2024-05-14T09:" + two(rnd.nextInt(60)) + ":" + two(rnd.nextInt(60)) + "Z")));
      fields.add(field("eventSource", str("s3.amazonaws.com")));
      fields.add(field("eventName", str(rnd.nextBoolean() ? "GetObject" : "ListBuckets")));
      fields.add(field("awsRegion", str("us-east-1")));
      fields.add(field("sourceIPAddress", str("203.0.113." + rnd.nextInt(256))));
      fields.add(field("userAgent", text()));
      fields.add(field("requestParameters", requestParameters()));
      fields.add(field("responseElements", responseElements()));
      fields.add(field("eventID", str("ev-" + eventIds++)));
      fields.add(field("readOnly", rnd.nextBoolean() ? "true" : "\"false\""));
      fields.add(field("eventType", str("AwsApiCall")));
      if (rnd.nextInt(4) == 0) {
        java.util.Collections.shuffle(fields, rnd);
      }
      return object(fields);
    }

    private String identity() {
      int shape = rnd.nextInt(12);
      RegistryRecord t = tokens.get(rnd.nextInt(tokens.size()));
      List<String> f = new ArrayList<>();
      switch (shape) {
        case 0 -> { // the token's own key, everything present
          f.add(field("type", str("IAMUser")));
          f.add(field("principalId", idValue(t.principalId())));
          f.add(field("arn", idValue(t.userArn())));
          f.add(field("accountId", str(OUR)));
          f.add(field("accessKeyId", idValue(t.accessKeyId())));
          f.add(field("userName", idValue(t.userName())));
        }
        case 1 -> { // a session of the token's user: principal and ARN, an unlearned key
          f.add(field("type", str("IAMUser")));
          f.add(field("principalId", idValue(t.principalId())));
          f.add(field("arn", idValue(t.userArn())));
          f.add(field("accessKeyId", str(keyId("ASIA", Long.parseLong(OUR)))));
        }
        case 2 -> { // ARN only
          f.add(field("arn", idValue(t.userArn())));
        }
        case 3 -> { // user name only, in our account, another or none
          f.add(field("userName", idValue(t.userName())));
          int a = rnd.nextInt(3);
          if (a < 2) {
            f.add(field("accountId", str(a == 0 ? OUR : OTHER)));
          }
        }
        case 4 -> { // a minted session key alone, or a key that was never minted
          String key = !minted.isEmpty() && rnd.nextBoolean()
              ? minted.get(rnd.nextInt(minted.size())) : keyId("ASIA", Long.parseLong(OUR));
          f.add(field("accountId", str(OUR)));
          f.add(field("accessKeyId", idValue(key)));
        }
        case 5 -> { // a key of our account the registry does not know yet
          f.add(field("type", str("IAMUser")));
          f.add(field("accessKeyId", idValue(keyId("AKIA", Long.parseLong(OUR)))));
        }
        case 6 -> { // an AWS service
          f.add(field("type", str("AWSService")));
          f.add(field("invokedBy", str("s3.amazonaws.com")));
        }
        case 7 -> { // an IAM user of another account with a token's user name
          f.add(field("type", str("IAMUser")));
          f.add(field("principalId", str("AIDA" + base32(17))));
          f.add(field("arn", str("arn:aws:iam::" + OTHER + ":user/" + t.userName())));
          f.add(field("userName", str(String.valueOf(t.userName()))));
          f.add(field("accountId", str(OTHER)));
          f.add(field("accessKeyId", str(keyId("AKIA", Long.parseLong(OTHER)))));
        }
        case 8 -> { // a value longer than a kept field whose start is a token's ARN
          f.add(field("arn", str(t.userArn() + "x".repeat(rnd.nextInt(3) == 0 ? 5000 : 200))));
        }
        default -> { // a role session of someone else
          String role = "AROA" + base32(17);
          f.add(field("type", str("AssumedRole")));
          f.add(field("principalId", str(role + ":s-" + rnd.nextInt(1000))));
          f.add(field("arn", str("arn:aws:sts::" + (rnd.nextBoolean() ? OUR : OTHER) + ":assumed-role/r/s")));
          f.add(field("accountId", str(OTHER)));
          f.add(field("accessKeyId", str(keyId("ASIA", Long.parseLong(OTHER)))));
          f.add(field("sessionContext", object(List.of(
              field("sessionIssuer", object(List.of(field("userName", str(t.userName() == null ? "x" : t.userName()))))),
              field("attributes", object(List.of(field("mfaAuthenticated", str("false")))))))));
        }
      }
      if (rnd.nextInt(4) == 0) {
        java.util.Collections.shuffle(f, rnd);
      }
      return object(f);
    }

    private String responseElements() {
      if (rnd.nextInt(4) != 0) {
        return "null";
      }
      String key = keyId("ASIA", Long.parseLong(OUR));
      minted.add(key);
      return object(List.of(field("credentials", object(List.of(
          field("accessKeyId", str(key)),
          field("sessionToken", str("FIXTURE-NOT-A-TOKEN")))))));
    }

    private String requestParameters() {
      return switch (rnd.nextInt(9)) {
        case 0 -> "null";
        case 1 -> { // a token's identifiers outside the identity
          RegistryRecord t = tokens.get(rnd.nextInt(tokens.size()));
          yield object(List.of(field("userName", str(String.valueOf(t.userName()))),
              field("accessKeyId", str(t.accessKeyId()))));
        }
        case 2 -> { // deep nesting
          int depth = 1 + rnd.nextInt(90);
          yield "{\"a\":".repeat(depth) + "[1,true,false,null,-2.5e3]" + "}".repeat(depth);
        }
        case 3 -> { // a huge string: held, or over the held-record bound
          int n = rnd.nextInt(500) == 0
              ? RecordPrefilter.MAX_HELD + rnd.nextInt(1000)
              : rnd.nextInt(rnd.nextInt(10) == 0 ? 100_000 : 2000);
          yield object(List.of(field("policy", "\"" + "{\\\"Statement\\\":[]} ".repeat(n / 20 + 1) + "\"")));
        }
        case 4 -> object(List.of(field("key", text()), field("n", "[1, 2, {\"x\": [ ] }]")));
        default -> object(List.of(field("bucketName", str("data-" + rnd.nextInt(100))), field("key", text())));
      };
    }

    /** An identity value, now and then written with an escape (so it must be parsed to be known). */
    private String idValue(String value) {
      if (value == null) {
        return "null";
      }
      if (rnd.nextInt(6) != 0) {
        return str(value);
      }
      int k = rnd.nextInt(value.length());
      char c = value.charAt(k);
      String escaped = c == '/' && rnd.nextBoolean()
          ? "\\/"
          : String.format(rnd.nextBoolean() ? "\\u%04x" : "\\u%04X", (int) c);
      return "\"" + value.substring(0, k) + escaped + value.substring(k + 1) + "\"";
    }

    /** Free text: plain, escaped quotes and control characters, \\u escapes, raw UTF-8. */
    private String text() {
      return switch (rnd.nextInt(6)) {
        case 0 -> "\"aws-cli/2.15.30 \\\"quoted\\\" \\\\ \\n\\t end\"";
        case 1 -> "\"caf\\u00e9 \\ud83d\\ude00\"";
        case 2 -> "\"café 😀 naïve\"";
        case 3 -> "\"" + "x".repeat(rnd.nextInt(6000)) + "\"";
        default -> str("Boto3/1.34.84 md/Botocore#1.34.84");
      };
    }

    private String object(List<String> fields) {
      StringBuilder sb = new StringBuilder("{").append(ws());
      for (int i = 0; i < fields.size(); i++) {
        if (i > 0) {
          sb.append(ws()).append(',').append(ws());
        }
        sb.append(fields.get(i));
      }
      return sb.append(ws()).append('}').toString();
    }

    private String field(String name, String value) {
      return str(name) + ws() + ':' + ws() + value;
    }

    private String ws() {
      return switch (rnd.nextInt(40)) {
        case 0 -> " ";
        case 1 -> "\n  ";
        case 2 -> "\t\r\n";
        default -> "";
      };
    }

    private String keyId(String prefix, long account) {
      long first48 = ((long) rnd.nextInt(2) << 47) | (account << 7) | rnd.nextInt(128);
      long bits = first48 << 2 | rnd.nextInt(4);
      StringBuilder sb = new StringBuilder(prefix);
      for (int i = 9; i >= 0; i--) {
        sb.append(B32.charAt((int) (bits >>> (5 * i)) & 31));
      }
      return sb.append(base32(6)).toString();
    }

    private String base32(int n) {
      char[] c = new char[n];
      for (int i = 0; i < n; i++) {
        c[i] = B32.charAt(rnd.nextInt(32));
      }
      return new String(c);
    }

    private static String two(int n) {
      return n < 10 ? "0" + n : String.valueOf(n);
    }

    private static String str(String s) {
      return new String(
          com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(s), StandardCharsets.UTF_8)
          .transform(q -> "\"" + q + "\"");
    }
  }
}
