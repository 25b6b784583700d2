package io.spacecrab.notify;

/**
 * Text fit for one line of a message a human reads: no control characters, no invisible
 * formatting characters (bidi overrides, zero-width joiners), no unpaired surrogates, bounded
 * length. Line breaks and tabs become one space so a value cannot start a line of its own.
 */
final class CleanText {
  static final String ELLIPSIS = "…";

  private CleanText() {}

  /** The cleaned value, cut to at most {@code maxChars} UTF-16 units (ending in …); null stays null. */
  static String line(String raw, int maxChars) {
    if (raw == null) {
      return null;
    }
    StringBuilder out = new StringBuilder(Math.min(raw.length(), maxChars + 1));
    int i = 0;
    while (i < raw.length()) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      switch (Character.getType(cp)) {
        case Character.CONTROL, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> {
          if ((Character.isWhitespace(cp) || cp == 0x85) && out.length() > 0
              && out.charAt(out.length() - 1) != ' ') {
            out.append(' ');
          }
        }
        case Character.FORMAT -> { }
        case Character.SURROGATE -> out.append('\uFFFD');
        default -> {
          if (out.length() > 0 || !Character.isWhitespace(cp)) {
            out.appendCodePoint(cp);
          }
        }
      }
      if (out.length() > maxChars + 1) {
        break;
      }
    }
    String cleaned = out.toString().stripTrailing();
    return cut(cleaned, maxChars);
  }

  /** {@link #line} with a dash for an absent or empty value. */
  static String lineOrDash(String raw, int maxChars) {
    String cleaned = line(raw, maxChars);
    return cleaned == null || cleaned.isEmpty() ? "-" : cleaned;
  }

  /** The value cut to {@code maxChars} UTF-16 units, ending in … when cut, never splitting a pair. */
  static String cut(String value, int maxChars) {
    if (value.length() <= maxChars) {
      return value;
    }
    int keep = Math.max(0, maxChars - ELLIPSIS.length());
    if (keep > 0 && Character.isHighSurrogate(value.charAt(keep - 1))) {
      keep--;
    }
    return value.substring(0, keep) + ELLIPSIS;
  }
}
