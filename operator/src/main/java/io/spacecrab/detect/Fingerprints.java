package io.spacecrab.detect;

import java.util.List;

/**
 * Answers "certainly not one of these texts" from one 64-bit word, so a value that is none of a
 * large registry's identities costs one read of a table small enough to stay in the CPU cache
 * (8 bits per text: 512 KB for 400,000 texts, 100,000 tokens' key ids, principal ids, ARNs and
 * user names) instead of a miss in each of four hash indexes. A blocked Bloom filter with two
 * bits per text in one word: about 5% of absent texts get "maybe" and are looked up exactly.
 * Texts are hashed as {@link String#hashCode} hashes them, from chars or from ASCII bytes alike.
 * Immutable once built.
 */
final class Fingerprints {
  private static final int BITS_PER_TEXT = 8;

  private final long[] words;
  private final int shift;

  private Fingerprints(int texts) {
    int wanted = Math.max(1, (int) Math.min(1 << 26, (long) texts * BITS_PER_TEXT / 64));
    int size = Integer.highestOneBit(wanted) == wanted ? wanted : Integer.highestOneBit(wanted) << 1;
    words = new long[size];
    shift = 64 - Integer.numberOfTrailingZeros(size);
  }

  /** The fingerprints of every non-empty text of these lists. */
  static Fingerprints of(List<List<String>> lists) {
    int n = 0;
    for (List<String> texts : lists) {
      n += texts.size();
    }
    Fingerprints f = new Fingerprints(n);
    for (List<String> texts : lists) {
      for (String t : texts) {
        if (t != null && !t.isEmpty()) {
          f.add(t.hashCode());
        }
      }
    }
    return f;
  }

  /** False only if no text has this {@link #hash}. */
  boolean mightContain(int hash) {
    long x = mix(hash);
    long bits = 1L << x | 1L << (x >>> 6);
    return (words[index(x)] & bits) == bits;
  }

  /** {@link String#hashCode} of the text whose chars are these bytes. */
  static int hash(byte[] bytes, int offset, int length) {
    int h = 0;
    for (int i = offset, end = offset + length; i < end; i++) {
      h = 31 * h + (bytes[i] & 0xff);
    }
    return h;
  }

  private void add(int hash) {
    long x = mix(hash);
    words[index(x)] |= 1L << x | 1L << (x >>> 6);
  }

  private int index(long x) {
    return shift == 64 ? 0 : (int) (x >>> shift);
  }

  private static long mix(int hash) {
    long x = hash * 0x9E3779B97F4A7C15L;
    return x ^ (x >>> 29);
  }
}
