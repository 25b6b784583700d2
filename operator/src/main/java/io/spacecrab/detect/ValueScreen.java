package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;

/**
 * The identity values a record of ours may carry, tested on the raw bytes of a JSON string before
 * anything is decoded: the registry's key ids, principal ids, ARNs and user names, the session
 * keys its users minted, and any long-term key id of a token account (a token newer than the
 * registry copy). A value whose (length, first character) no candidate has is rejected with one
 * bit test; the rest are looked up exactly. Immutable; the {@link TokenMatcher} swaps in a new
 * screen whenever its registry or its session keys change.
 */
final class ValueScreen {
  /** Strings at least this long share one shape per first character. */
  private static final int LONG = 127;

  private final RegistrySnapshot registry;
  private final KeyIndex<RegistryRecord> sessionKeys;
  private final long[] shapes;

  private ValueScreen(RegistrySnapshot registry, KeyIndex<RegistryRecord> sessionKeys) {
    this.registry = registry;
    this.sessionKeys = sessionKeys;
    shapes = registry.shapes().clone();
    sessionKeys.addShapes(shapes);
  }

  /**
   * A screen for this registry and these session keys, or null when some value is not plain ASCII
   * (it could be written in JSON in more than one way), in which case every record must be parsed.
   */
  static ValueScreen of(RegistrySnapshot registry, KeyIndex<RegistryRecord> sessionKeys) {
    if (!registry.isPlainAscii() || !sessionKeys.isPlainAscii()) {
      return null;
    }
    return new ValueScreen(registry, sessionKeys);
  }

  /**
   * True if the JSON string whose raw bytes (between the quotes, escapes not decoded) are these
   * may be a value a record of ours carries in its identity. Never false for such a value written
   * without escapes; thread-safe and allocation-free.
   */
  boolean mightBeOurs(byte[] bytes, int offset, int length) {
    if (length == 0) {
      return false;
    }
    int s = shape(length, bytes[offset] & 0x7f);
    if ((shapes[s >>> 6] & (1L << s)) == 0) {
      return false;
    }
    return registry.mightHold(bytes, offset, length)
        || sessionKeys.get(bytes, offset, length) != null;
  }

  static long[] newShapes() {
    return new long[(LONG + 1) * 128 / 64];
  }

  static void addShape(long[] shapes, int length, char first) {
    int s = shape(length, first & 0x7f);
    shapes[s >>> 6] |= 1L << s;
  }

  private static int shape(int length, int first) {
    return Math.min(length, LONG) << 7 | first;
  }
}
