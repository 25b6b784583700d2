package io.spacecrab.token;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The name of the HoneyToken a ClusterHoneyToken stamps into each namespace. It is the
 * ClusterHoneyToken's own name when that is at most 63 characters (cluster-scoped names are
 * unique, and each child lives in its own namespace, so the namespace adds nothing); longer or
 * malformed names are cut and given an 8-hex-character SHA-256 suffix of the full name. Always a
 * DNS-1123 subdomain of at most 63 characters, so it is a valid object name and a valid label value.
 */
public final class ChildTokenName {
  static final int MAX_LENGTH = 63;
  private static final int HASH_CHARS = 8;

  private ChildTokenName() {}

  /** The deterministic child name: the same for every namespace and every call, at most 63 characters. */
  public static String of(String clusterHoneyTokenName) {
    if (clusterHoneyTokenName.length() <= MAX_LENGTH && LabelNames.isDnsSubdomain(clusterHoneyTokenName)) {
      return clusterHoneyTokenName;
    }
    String base = clusterHoneyTokenName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    int keep = Math.min(base.length(), MAX_LENGTH - HASH_CHARS - 1);
    base = base.substring(0, keep).replaceAll("^-+|-+$", "");
    String hash = hash(clusterHoneyTokenName);
    return base.isEmpty() ? hash : base + "-" + hash;
  }

  private static String hash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, HASH_CHARS / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
