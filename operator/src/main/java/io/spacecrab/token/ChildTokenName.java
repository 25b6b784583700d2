package io.spacecrab.token;

import io.spacecrab.api.LabelNames;
import io.spacecrab.api.Names;
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
    String hash = Names.hash(clusterHoneyTokenName, HASH_CHARS);
    return base.isEmpty() ? hash : base + "-" + hash;
  }

}
