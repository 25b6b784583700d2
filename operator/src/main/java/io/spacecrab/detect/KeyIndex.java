package io.spacecrab.detect;

import java.util.Map;

/**
 * An immutable open-addressing hash index from text keys to values, looked up by any
 * CharSequence without allocating. Keys that cannot be present are rejected before hashing: by
 * length, and by the prefix all keys share (for example {@code AKIA}, {@code AIDA} or
 * {@code arn:aws:iam::123456789012:user/}), so the common case costs a few char compares
 * whatever the index size.
 */
final class KeyIndex<V> {
  private static final KeyIndex<?> EMPTY = new KeyIndex<>(Map.of());

  private final String[] keys;
  private final int[] hashes;
  private final Object[] values;
  private final int mask;
  private final int shift;
  private final int size;
  private final int minLength;
  private final int maxLength;
  private final char[] prefix;
  private final boolean plainAscii;

  private KeyIndex(Map<String, V> entries) {
    int n = 0;
    int min = Integer.MAX_VALUE;
    int max = -1;
    String common = null;
    boolean plain = true;
    for (String key : entries.keySet()) {
      if (key == null || key.isEmpty()) {
        continue;
      }
      plain &= isPlainAscii(key);
      n++;
      min = Math.min(min, key.length());
      max = Math.max(max, key.length());
      common = common == null ? key : commonPrefix(common, key);
    }
    int capacity = Integer.highestOneBit(Math.max(2, n * 2 - 1)) << 1;
    keys = new String[capacity];
    hashes = new int[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    shift = Integer.numberOfLeadingZeros(capacity) + 1;
    size = n;
    minLength = min;
    maxLength = max;
    prefix = common == null ? new char[0] : common.toCharArray();
    plainAscii = plain;
    for (Map.Entry<String, V> e : entries.entrySet()) {
      String key = e.getKey();
      if (key == null || key.isEmpty()) {
        continue;
      }
      int h = stored(key.hashCode());
      int i = slot(h);
      while (hashes[i] != 0) {
        i = (i + 1) & mask;
      }
      keys[i] = key;
      hashes[i] = h;
      values[i] = e.getValue();
    }
  }

  @SuppressWarnings("unchecked")
  static <V> KeyIndex<V> empty() {
    return (KeyIndex<V>) EMPTY;
  }

  /** Indexes a copy of the map; null and empty keys are left out. */
  static <V> KeyIndex<V> of(Map<String, V> entries) {
    return entries.isEmpty() ? empty() : new KeyIndex<>(entries);
  }

  int size() {
    return size;
  }

  /** The value whose key has exactly this content, or null. */
  @SuppressWarnings("unchecked")
  V get(CharSequence text) {
    if (text == null) {
      return null;
    }
    int n = text.length();
    if (n < minLength || n > maxLength) {
      return null;
    }
    char[] p = prefix;
    for (int i = 0; i < p.length; i++) {
      if (text.charAt(i) != p[i]) {
        return null;
      }
    }
    int h = stored(text instanceof FieldText f ? f.contentHash() : hash(text));
    int i = slot(h);
    int slotHash;
    while ((slotHash = hashes[i]) != 0) {
      if (slotHash == h && keys[i].contentEquals(text)) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /**
   * The value whose key has exactly the content of these bytes, each byte taken as one char (so
   * ASCII text compares as itself and any other byte as a char no plain-ASCII key holds), or null.
   */
  @SuppressWarnings("unchecked")
  V get(byte[] bytes, int offset, int length) {
    if (!fits(bytes, offset, length)) {
      return null;
    }
    int h = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      h = 31 * h + (bytes[i] & 0xff);
    }
    h = stored(h);
    int i = slot(h);
    int slotHash;
    while ((slotHash = hashes[i]) != 0) {
      if (slotHash == h && sameContent(keys[i], bytes, offset, length)) {
        return (V) values[i];
      }
      i = (i + 1) & mask;
    }
    return null;
  }

  /**
   * True if these bytes have the length and the prefix of some key: the test {@link #get} makes
   * before it hashes, with no memory read beyond this index's own fields.
   */
  boolean fits(byte[] bytes, int offset, int length) {
    if (length < minLength || length > maxLength) {
      return false;
    }
    char[] p = prefix;
    for (int i = 0; i < p.length; i++) {
      if ((bytes[offset + i] & 0xff) != p[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * True if every key is printable ASCII without {@code "} or {@code \}: text that JSON writes as
   * its own bytes, so a key can be found in raw JSON without decoding it.
   */
  boolean isPlainAscii() {
    return plainAscii;
  }

  /** Sets, in a {@link ValueScreen} shape set, the shape of every key. */
  void addShapes(long[] shapes) {
    for (String key : keys) {
      if (key != null) {
        ValueScreen.addShape(shapes, key.length(), key.charAt(0));
      }
    }
  }

  private static boolean sameContent(String key, byte[] bytes, int offset, int length) {
    if (key.length() != length) {
      return false;
    }
    for (int i = 0; i < length; i++) {
      if (key.charAt(i) != (bytes[offset + i] & 0xff)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlainAscii(String key) {
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** The hash as stored: never 0, which marks an empty slot, so a miss reads only hashes[]. */
  private static int stored(int h) {
    return h == 0 ? 1 : h;
  }

  private int slot(int h) {
    return ((h ^ (h >>> 16)) * 0x9E3779B9) >>> shift;
  }

  private static int hash(CharSequence text) {
    if (text instanceof String s) {
      return s.hashCode();
    }
    int h = 0;
    for (int i = 0; i < text.length(); i++) {
      h = 31 * h + text.charAt(i);
    }
    return h;
  }

  private static String commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return a.substring(0, i);
  }
}
