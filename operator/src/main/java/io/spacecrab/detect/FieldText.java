package io.spacecrab.detect;

/** A reusable, length-capped text value copied out of the JSON stream; absent until set. */
final class FieldText implements CharSequence {
  private final int cap;
  private char[] chars = new char[32];
  private int length;
  private boolean present;
  private boolean truncated;

  FieldText(int cap) {
    if (cap < CloudTrailRecord.TRUNCATED_MARK.length() * 2) {
      throw new IllegalArgumentException("field cap too small: " + cap);
    }
    this.cap = cap;
  }

  void clear() {
    length = 0;
    present = false;
    truncated = false;
  }

  /** Copies at most {@code cap} characters; returns true if the value had to be truncated. */
  boolean set(char[] source, int offset, int sourceLength) {
    int n = Math.min(sourceLength, cap);
    if (n > chars.length) {
      chars = new char[Math.min(cap, Math.max(n, chars.length * 2))];
    }
    System.arraycopy(source, offset, chars, 0, n);
    length = n;
    present = true;
    truncated = sourceLength > cap;
    return truncated;
  }

  boolean isPresent() {
    return present;
  }

  /** The value as a String, null when absent, cut and marked when it exceeded the cap. */
  String value() {
    if (!present) {
      return null;
    }
    if (!truncated) {
      return new String(chars, 0, length);
    }
    int keep = cap - CloudTrailRecord.TRUNCATED_MARK.length();
    if (Character.isHighSurrogate(chars[keep - 1])) {
      keep--;
    }
    return new String(chars, 0, keep) + CloudTrailRecord.TRUNCATED_MARK;
  }

  /** The same hash as {@link String#hashCode()} of the current content. */
  int contentHash() {
    int h = 0;
    char[] c = chars;
    for (int i = 0; i < length; i++) {
      h = 31 * h + c[i];
    }
    return h;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public char charAt(int index) {
    if (index >= length) {
      throw new IndexOutOfBoundsException(index);
    }
    return chars[index];
  }

  @Override
  public CharSequence subSequence(int start, int end) {
    return toString().substring(start, end);
  }

  @Override
  public String toString() {
    return new String(chars, 0, length);
  }
}
