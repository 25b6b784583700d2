package io.spacecrab.detect;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Answers "certainly not one of these texts" from one 64-bit word, so a value that is none of a
 * large registry's identities costs one read of a table small enough to stay in the CPU cache
 * (8 bits per text: 512 KB for 400,000 texts, 100,000 tokens' key ids, principal ids, ARNs and
 * user names) instead of a miss in each of four hash indexes. A blocked Bloom filter with two
 * bits per text in one word: about 5% of absent texts get "maybe" and are looked up exactly.
 * A text's fingerprint is taken from its length and its first and last eight bytes (two loads
 * and two multiplications, whatever its length), so texts must be ASCII: the bytes of the JSON
 * string are the chars of the text. Immutable once built.
 */
final class Fingerprints {
  private static final int BITS_PER_TEXT = 8;
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long[] words;
  private final int shift;

  private Fingerprints(int texts) {
    int wanted = Math.max(1, (int) Math.min(1 << 26, (long) texts * BITS_PER_TEXT / 64));
    int size = Integer.highestOneBit(wanted) == wanted ? wanted : Integer.highestOneBit(wanted) << 1;
    words = new long[size];
    shift = 64 - Integer.numberOfTrailingZeros(size);
  }

  /** The fingerprints of every non-empty text of these lists (ASCII texts). */
  static Fingerprints of(List<List<String>> lists) {
    int n = 0;
    for (List<String> texts : lists) {
      n += texts.size();
    }
    Fingerprints f = new Fingerprints(n);
    for (List<String> texts : lists) {
      for (String t : texts) {
        if (t != null && !t.isEmpty()) {
          byte[] b = t.getBytes(StandardCharsets.ISO_8859_1);
          f.add(sketch(b, 0, b.length));
        }
      }
    }
    return f;
  }

  /** False only if no text has this {@link #sketch}. */
  boolean mightContain(long sketch) {
    long x = mix(sketch);
    long bits = 1L << x | 1L << (x >>> 6);
    return (words[index(x)] & bits) == bits;
  }

  /** What the fingerprint of the text whose chars are these bytes is made from. */
  static long sketch(byte[] bytes, int offset, int length) {
    long first;
    long last;
    if (length >= 8) {
      first = (long) LONGS.get(bytes, offset);
      last = (long) LONGS.get(bytes, offset + length - 8);
    } else {
      first = 0;
      for (int i = 0; i < length; i++) {
        first = first << 8 | (bytes[offset + i] & 0xff);
      }
      last = 0;
    }
    return (first * 0x9E3779B97F4A7C15L + last) * 0xC2B2AE3D27D4EB4FL + length;
  }

  private void add(long sketch) {
    long x = mix(sketch);
    words[index(x)] |= 1L << x | 1L << (x >>> 6);
  }

  private int index(long x) {
    return shift == 64 ? 0 : (int) (x >>> shift);
  }

  private static long mix(long sketch) {
    long x = (sketch ^ (sketch >>> 32)) * 0xD6E8FEB86659FD93L;
    return x ^ (x >>> 32);
  }
}
