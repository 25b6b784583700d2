package io.spacecrab.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Short, stable name parts derived from longer text (object names and label values must stay short). */
public final class Names {
  /** Kubernetes label values hold at most 63 characters. */
  public static final int MAX_LABEL_VALUE = 63;

  private Names() {}

  /** The first {@code hexChars} (even) hex digits of the text's SHA-256: the same text, the same hash. */
  public static String hash(String text, int hexChars) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, hexChars / 2);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The value as a label value: unchanged when short enough, else cut and ended with a hash of the whole. */
  public static String labelValue(String value) {
    if (value == null) {
      return "";
    }
    return value.length() <= MAX_LABEL_VALUE ? value : value.substring(0, 54) + "-" + hash(value, 8);
  }
}
