package io.spacecrab.notify;

/**
 * A value that may come from an attacker, made inert inside Slack {@code mrkdwn}: cleaned to one
 * line, {@code & < >} escaped as Slack documents (so no {@code <!channel>}, {@code <@U…>} or
 * {@code <url|text>} survives), shown as inline code (so {@code * _ ~} and bare URLs do not
 * format), with backticks replaced by {@code ˋ} so the code span cannot be closed early and a
 * word joiner after {@code @} so no {@code @here}-style mention can form.
 */
final class SlackText {
  /** Replaces a backtick inside a value (U+02CB MODIFIER LETTER GRAVE ACCENT). */
  static final char BACKTICK_STANDIN = '\u02CB';
  /** Put after an {@code @} that precedes a letter (U+2060 WORD JOINER). */
  static final char MENTION_BREAK = '\u2060';

  private SlackText() {}

  /** The value as an inline code span of at most {@code maxChars} characters; a dash when absent. */
  static String code(String raw, int maxChars) {
    String cleaned = CleanText.line(raw, maxChars);
    if (cleaned == null || cleaned.isEmpty()) {
      return "-";
    }
    int budget = maxChars - 2;
    StringBuilder all = new StringBuilder(cleaned.length() + 16);
    for (int i = 0; i < cleaned.length(); i++) {
      all.append(piece(cleaned, i));
    }
    if (all.length() <= budget) {
      return "`" + all + "`";
    }
    StringBuilder out = new StringBuilder(budget);
    for (int i = 0; i < cleaned.length(); i++) {
      String piece = piece(cleaned, i);
      if (out.length() + piece.length() + CleanText.ELLIPSIS.length() > budget) {
        break;
      }
      out.append(piece);
    }
    if (out.length() > 0 && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
      out.setLength(out.length() - 1);
    }
    out.append(CleanText.ELLIPSIS);
    return "`" + out + "`";
  }

  private static String piece(String s, int i) {
    char c = s.charAt(i);
    return switch (c) {
      case '&' -> "&amp;";
      case '<' -> "&lt;";
      case '>' -> "&gt;";
      case '`' -> String.valueOf(BACKTICK_STANDIN);
      case '@' -> i + 1 < s.length() && Character.isLetterOrDigit(s.charAt(i + 1))
          ? "@" + MENTION_BREAK
          : "@";
      default -> String.valueOf(c);
    };
  }
}
