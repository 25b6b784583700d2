package io.spacecrab.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Derives an ordinary-looking, deterministic IAM user name for a token, so that a retry after a
 * crash finds the same user. {word} is one of a list of plain service words, {hash} eight hex
 * characters of SHA-256 over cluster, namespace, name and uid.
 */
public final class UserNameTemplate {
  static final List<String> WORDS = List.of("svc-deploy", "ci-build", "backup-sync", "log-shipper",
      "data-export", "report-runner", "etl-loader", "build-agent", "artifact-sync", "metrics-reader",
      "config-reader", "release-bot", "db-migrate", "cache-warmer", "s3-uploader", "batch-worker");
  private static final int MAX_LENGTH = 64;

  private final String template;
  private final List<String> words;

  public UserNameTemplate(String template) {
    this(template, WORDS);
  }

  /** A template whose {word} is one of {@code words} (the built-in list when empty). */
  public UserNameTemplate(String template, List<String> words) {
    this.template = template;
    this.words = words.isEmpty() ? WORDS : List.copyOf(words);
  }

  /** The user name for this token; at most 64 characters of the IAM user name alphabet. */
  public String render(String clusterId, String namespace, String name, String uid) {
    return render(clusterId, namespace, name, uid, 0);
  }

  /** As above; attempts 1, 2, … give other names for when the first is taken. */
  public String render(String clusterId, String namespace, String name, String uid, int attempt) {
    byte[] digest = sha256(clusterId + "/" + namespace + "/" + name + "/" + uid + (attempt == 0 ? "" : "#" + attempt));
    String hash = HexFormat.of().formatHex(digest, 0, 4);
    String word = words.get(Byte.toUnsignedInt(digest[4]) % words.size());
    String rendered = template.replace("{word}", word).replace("{hash}", hash)
        .replace("{namespace}", namespace).replace("{name}", name)
        .replaceAll("[^A-Za-z0-9+=,.@_-]", "-");
    if (rendered.length() > MAX_LENGTH) {
      rendered = rendered.substring(0, MAX_LENGTH - 9) + "-" + hash;
    }
    return rendered;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
