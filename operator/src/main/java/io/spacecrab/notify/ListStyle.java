package io.spacecrab.notify;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * How a text sink (Slack, e-mail) shows a list from the alert: how many values, what goes between
 * them, and how it says that more were left out or that the alert kept no more.
 *
 * @param shown the most values shown
 * @param morePrefix and {@code moreSuffix} around the number of values not shown
 * @param cappedNote appended when the alert itself stopped keeping values
 */
record ListStyle(int shown, String separator, String morePrefix, String moreSuffix, String cappedNote) {

  /** Up to {@link #shown} values, each through {@code show}, then how many more; {@code -} for none. */
  String list(List<String> values, UnaryOperator<String> show, boolean capped) {
    if (values.isEmpty()) {
      return "-";
    }
    StringBuilder s = new StringBuilder();
    int n = Math.min(shown, values.size());
    for (int i = 0; i < n; i++) {
      s.append(i == 0 ? "" : separator).append(show.apply(values.get(i)));
    }
    if (values.size() > n) {
      s.append(morePrefix).append(values.size() - n).append(moreSuffix);
    }
    if (capped) {
      s.append(cappedNote);
    }
    return s.toString();
  }

  /** The source addresses, the most used first, each with its number of calls where known. */
  String sourceIps(AlertView alert, UnaryOperator<String> show) {
    Map<String, Long> calls = alert.sourceIpCalls();
    return list(alert.sourceIps(), ip -> {
      Long n = calls.get(ip);
      return show.apply(ip) + (n == null ? "" : " (" + AlertSummary.calls(n) + ")");
    }, alert.capped(AlertView.Listed.SOURCE_IPS));
  }
}
