package io.spacecrab.notify;

import java.time.Instant;
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
    if (alert.pipelineDown()) {
      s.append(pipeline(alert, kind));
    } else if (kind == NotificationKind.RESOLVED) {
      s.append("Resolved: ").append(token).append(" alert after ").append(alert.withoutTrail()
          ? "a use CloudTrail did not record" : calls(alert.eventCount()));
    } else if (alert.withoutTrail()) {
      s.append(token).append(" used without a CloudTrail record: IAM reports ").append(iamUse(alert));
    } else {
      s.append(token).append(" used: ").append(whatWasCalled(alert)).append(fromWhere(alert));
    }
    if (alert.clusterId() != null && !alert.clusterId().isBlank()) {
      s.append(" in cluster ").append(CleanText.line(alert.clusterId(), NAME_MAX));
    }
    s.append(scannerNote(alert));
    return CleanText.cut(s.toString(), maxChars);
  }

  /**
   * E.g. "SpaceCrab detection pipeline down: no self-test use through EventBridge events since
   * 2026-12-02T13:00:00Z", or "Resolved: ... delivers again".
   */
  static String pipeline(AlertView alert, NotificationKind kind) {
    String path = CleanText.lineOrDash(alert.location(), ADDRESS_MAX);
    return kind == NotificationKind.RESOLVED
        ? "Resolved: SpaceCrab detection pipeline delivers again through " + path + " (down since " + alert.firstSeen() + ")"
        : "SpaceCrab detection pipeline down: no self-test use through " + path + " since " + alert.firstSeen();
  }

  /** "; 2 of them by known scanners" when the sink's knownScanners matched calls; empty otherwise. */
  static String scannerNote(AlertView alert) {
    long n = alert.suppressedCalls();
    return n == 0 ? "" : "; " + n + " of them" + " by known scanners";
  }

  /** E.g. "a call to sts in eu-west-1 at 2026-11-30T12:37:00Z" (IAM's service and region, cleaned). */
  static String iamUse(AlertView alert) {
    AlertView.IamUse use = alert.iamLastUse();
    if (use == null) {
      return "a use";
    }
    return "a call to " + (use.serviceName() == null ? "an unknown service" : CleanText.lineOrDash(use.serviceName(), NAME_MAX))
        + " in " + (use.region() == null ? "an unknown region" : CleanText.lineOrDash(use.region(), NAME_MAX))
        + " at " + use.lastUsed();
  }

  /** The instant as ISO-8601, or {@code -} when unknown. */
  static String time(Instant t) {
    return t == null ? "-" : t.toString();
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

  /** " from 203.0.113.7 (89 of 105 API calls, +1 more address)": the address most calls came from. */
  private static String fromWhere(AlertView alert) {
    String top = alert.mostUsedSourceIp();
    if (top == null) {
      return "";
    }
    String note = addressNote(alert);
    return " from " + CleanText.lineOrDash(top, ADDRESS_MAX) + (note.isEmpty() ? "" : " (" + note + ")");
  }

  /**
   * What the headline adds about the address most calls came from, e.g. "89 of 105 API calls, +1
   * more address"; empty when there is nothing to add. Plain text without attacker content.
   */
  static String addressNote(AlertView alert) {
    String top = alert.mostUsedSourceIp();
    if (top == null) {
      return "";
    }
    StringBuilder s = new StringBuilder();
    Long calls = alert.sourceIpCalls().get(top);
    if (calls != null && alert.eventCount() > 1) {
      s.append(calls).append(" of ").append(calls(alert.eventCount()));
    }
    int others = alert.sourceIps().size() - 1;
    String addresses = others == 1 ? " address" : " addresses";
    if (alert.capped(AlertView.Listed.SOURCE_IPS)) {
      s.append(s.length() == 0 ? "" : ", ").append("more than ").append(others).append(" other").append(addresses);
    } else if (others > 0) {
      s.append(s.length() == 0 ? "" : ", ").append('+').append(others).append(" more").append(addresses);
    }
    return s.toString();
  }
}
