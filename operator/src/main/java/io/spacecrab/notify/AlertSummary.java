package io.spacecrab.notify;

import java.util.List;

/** The one-line plain-text headline of an alert: PagerDuty's summary, the e-mail subject. */
final class AlertSummary {
  private static final int NAME_MAX = 64;
  private static final int NAMES_SHOWN = 3;
  private static final int ADDRESS_MAX = 64;
  private static final int REF_MAX = 253;

  private AlertSummary() {}

  /** E.g. "AWS honey token payments/db used: 12 API calls (ListBuckets, …) from 203.0.113.7". */
  static String of(AlertView alert, NotificationKind kind, int maxChars) {
    String ref = CleanText.lineOrDash(alert.tokenRef(), REF_MAX);
    String token = (alert.retired() ? "retired AWS honey token " : "AWS honey token ") + ref;
    StringBuilder s = new StringBuilder();
    if (kind == NotificationKind.RESOLVED) {
      s.append("Resolved: ").append(token).append(" alert after ").append(calls(alert.eventCount()));
    } else {
      s.append(token).append(" used: ").append(whatWasCalled(alert)).append(fromWhere(alert));
    }
    if (alert.clusterId() != null && !alert.clusterId().isBlank()) {
      s.append(" in cluster ").append(CleanText.line(alert.clusterId(), NAME_MAX));
    }
    return CleanText.cut(s.toString(), maxChars);
  }

  static String calls(long count) {
    return count == 1 ? "1 API call" : count + " API calls";
  }

  private static String whatWasCalled(AlertView alert) {
    List<String> names = alert.eventNames();
    if (alert.eventCount() <= 1 && names.size() == 1) {
      return CleanText.lineOrDash(names.get(0), NAME_MAX);
    }
    String calls = calls(alert.eventCount());
    if (names.isEmpty()) {
      return calls;
    }
    StringBuilder s = new StringBuilder(calls).append(" (");
    for (int i = 0; i < Math.min(NAMES_SHOWN, names.size()); i++) {
      s.append(i == 0 ? "" : ", ").append(CleanText.lineOrDash(names.get(i), NAME_MAX));
    }
    if (names.size() > NAMES_SHOWN) {
      s.append(", +").append(names.size() - NAMES_SHOWN).append(" more");
    }
    return s.append(')').toString();
  }

  private static String fromWhere(AlertView alert) {
    List<String> ips = alert.sourceIps();
    if (ips.isEmpty()) {
      return "";
    }
    String first = " from " + CleanText.lineOrDash(ips.get(0), ADDRESS_MAX);
    return ips.size() == 1 ? first : first + " (+" + (ips.size() - 1) + " more)";
  }
}
