package io.spacecrab.detect;

/**
 * What an AWS access key id says by itself: its kind (long-term {@code AKIA}, session {@code ASIA})
 * and the account it belongs to. Key ids issued since about 2019 encode the account id: base32 of
 * the characters after the 4-character prefix, first 48 bits, masked with {@code 0x7fffffffff80}
 * and shifted right by 7 (the decoding published by Tal Be'ery and on hackingthe.cloud).
 */
public final class AccessKeyId {
  /** Length of every current AWS access key id. */
  public static final int LENGTH = 20;

  private static final int PREFIX = 4;
  private static final int ACCOUNT_CHARS = 10;
  private static final long ACCOUNT_MASK = 0x7fffffffff80L;

  private AccessKeyId() {}

  /** True for a long-term IAM user key id ({@code AKIA…}, 20 characters). */
  public static boolean isLongTerm(CharSequence keyId) {
    return hasPrefix(keyId, 'A', 'K', 'I', 'A');
  }

  /** True for a temporary STS session key id ({@code ASIA…}, 20 characters). */
  public static boolean isSession(CharSequence keyId) {
    return hasPrefix(keyId, 'A', 'S', 'I', 'A');
  }

  /**
   * The account id encoded in the key id, or -1 if the id is not 20 base32 characters after its
   * prefix. Keys older than about 2019 decode to a meaningless number: compare, never trust.
   */
  public static long accountOf(CharSequence keyId) {
    if (keyId == null || keyId.length() != LENGTH) {
      return -1;
    }
    long bits = 0;
    for (int i = PREFIX; i < PREFIX + ACCOUNT_CHARS; i++) {
      int v = base32(keyId.charAt(i));
      if (v < 0) {
        return -1;
      }
      bits = bits << 5 | v;
    }
    long first48 = bits >>> 2;
    return (first48 & ACCOUNT_MASK) >>> 7;
  }

  /** True for the bytes of a long-term key id ({@code AKIA…}, 20 characters). */
  static boolean isLongTerm(byte[] bytes, int offset, int length) {
    return length == LENGTH
        && bytes[offset] == 'A'
        && bytes[offset + 1] == 'K'
        && bytes[offset + 2] == 'I'
        && bytes[offset + 3] == 'A';
  }

  /** {@link #accountOf(CharSequence)} of the 20 ASCII bytes of a key id at {@code offset}. */
  static long accountOf(byte[] bytes, int offset) {
    long bits = 0;
    for (int i = offset + PREFIX; i < offset + PREFIX + ACCOUNT_CHARS; i++) {
      int v = base32((char) (bytes[i] & 0xff));
      if (v < 0) {
        return -1;
      }
      bits = bits << 5 | v;
    }
    long first48 = bits >>> 2;
    return (first48 & ACCOUNT_MASK) >>> 7;
  }

  /** The 12-digit form of an account id as AWS prints it. */
  public static String formatAccount(long accountId) {
    return String.format("%012d", accountId);
  }

  private static int base32(char c) {
    if (c >= 'A' && c <= 'Z') {
      return c - 'A';
    }
    if (c >= '2' && c <= '7') {
      return c - '2' + 26;
    }
    return -1;
  }

  private static boolean hasPrefix(CharSequence keyId, char a, char b, char c, char d) {
    return keyId != null
        && keyId.length() == LENGTH
        && keyId.charAt(0) == a
        && keyId.charAt(1) == b
        && keyId.charAt(2) == c
        && keyId.charAt(3) == d;
  }
}
