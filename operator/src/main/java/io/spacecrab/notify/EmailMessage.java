package io.spacecrab.notify;

import java.util.List;

/**
 * A plain-text e-mail about an alert: a one-line subject (no CR, LF or other control character,
 * so no header can be injected through it) and a body with the same facts as the other sinks,
 * every value cleaned to a single line so an attacker's text cannot forge lines of its own.
 *
 * @param subject at most {@value #SUBJECT_MAX} characters, one line
 * @param body lines separated by {@code \n}
 */
public record EmailMessage(String subject, String body) {
  /** Longest subject produced. */
  public static final int SUBJECT_MAX = 200;
  static final int VALUE_MAX = 300;
  static final int LIST_SHOWN = 10;
  static final int RECENT_SHOWN = 10;
  private static final ListStyle LISTS =
      new ListStyle(LIST_SHOWN, ", ", " (+", " more)", " (more not kept: the alert keeps 20)");

  /** The message for one notification about the alert. */
  public static EmailMessage of(AlertView alert, NotificationKind kind) {
    String subject = CleanText.cut("[SpaceCrab] " + AlertSummary.of(alert, kind, SUBJECT_MAX),
        SUBJECT_MAX);
    StringBuilder b = new StringBuilder();
    if (alert.pipelineDown()) {
      b.append(AlertSummary.pipeline(alert, kind)).append(".\n")
          .append(kind == NotificationKind.RESOLVED ? "" : "Uses of honey tokens through this path are not being seen:"
              + " check the trail, its delivery and the detector. Not a breach signal.\n").append("\n");
    } else {
      b.append(switch (kind) {
        case OPENED -> "An AWS honey token was used. Nobody legitimate uses this key:"
            + " treat it as a breach signal.";
        case UPDATED -> "An AWS honey token is still being used. Nobody legitimate uses this key:"
            + " treat it as a breach signal.";
        case RESOLVED -> "The alert for this AWS honey token was resolved.";
      }).append("\n\n");
    }
    if (alert.withoutTrail() && kind != NotificationKind.RESOLVED) {
      b.append("IAM reports a use of this key that no CloudTrail record shows: an API CloudTrail does not log"
          + " (a known way to test a key quietly), or a broken trail.\n\n");
    }
    line(b, "Token", value(alert.tokenRef()));
    line(b, "Cluster", value(alert.clusterId()));
    line(b, "Owner", value(alert.owner()));
    line(b, "Location", value(alert.location()));
    line(b, "Notes", value(alert.notes()));
    line(b, "Retired key", alert.retired() ? "yes (rotated out before this use)" : "no");
    line(b, "First seen", AlertSummary.time(alert.firstSeen()));
    line(b, "Last seen", AlertSummary.time(alert.lastSeen()));
    if (alert.withoutTrail()) {
      line(b, "Reason", AlertView.USED_WITHOUT_TRAIL);
      line(b, "IAM last use", value(AlertSummary.iamUse(alert)));
    }
    line(b, "API calls", Long.toString(alert.eventCount()));
    line(b, "Source IPs", LISTS.sourceIps(alert, EmailMessage::value));
    line(b, "Invoked by", list(alert.invokedBy(), alert.capped(AlertView.Listed.INVOKED_BY)));
    line(b, "User agents", list(alert.userAgents(), alert.capped(AlertView.Listed.USER_AGENTS)));
    line(b, "API names", list(alert.eventNames(), alert.capped(AlertView.Listed.EVENT_NAMES)));
    line(b, "Regions", list(alert.regions(), alert.capped(AlertView.Listed.REGIONS)));
    if (!alert.knownScannerCalls().isEmpty()) {
      line(b, "Known scanners", AlertSummary.calls(alert.suppressedCalls()) + " recorded, not paged for:");
      int shown = 0;
      for (AlertView.ScannerCalls c : alert.knownScannerCalls()) {
        if (shown++ == LIST_SHOWN) {
          b.append("  +").append(alert.knownScannerCalls().size() - LIST_SHOWN).append(" more in the alert\n");
          break;
        }
        b.append("  rule ").append(value(c.rule())).append(": ").append(value(c.sourceIp())).append(", ")
            .append(value(c.userAgent())).append(" (").append(AlertSummary.calls(c.calls())).append(")\n");
      }
    }
    exposure(b, alert.exposure());
    List<AlertView.RecentEvent> events = alert.recentEvents();
    if (!events.isEmpty()) {
      b.append("\nRecent API calls (newest first):\n");
      int shown = 0;
      for (int i = events.size() - 1; i >= 0 && shown < RECENT_SHOWN; i--, shown++) {
        AlertView.RecentEvent e = events.get(i);
        b.append("  ").append(AlertSummary.time(e.time())).append("  ").append(value(e.eventSource()))
            .append(' ').append(value(e.eventName()))
            .append(e.invokedBy() != null ? " invoked by " + value(e.invokedBy()) : " from " + value(e.sourceIp()));
        if (e.errorCode() != null) {
          b.append(" -> ").append(value(e.errorCode()));
        }
        b.append("\n      user agent: ").append(value(e.userAgent()));
        if (e.session() != null) {
          b.append("\n      session:    ").append(value(e.session().describe()));
        }
        if (e.suppressedBy() != null) {
          b.append("\n      known scanner: ").append(value(e.suppressedBy()));
        }
        b.append("\n      event id:   ").append(value(e.eventId())).append('\n');
      }
      if (shown < events.size()) {
        b.append("  +").append(events.size() - shown).append(" more in the alert\n");
      }
    }
    b.append('\n');
    line(b, "Alert", value(alert.alertName()));
    line(b, "Incident", value(alert.incidentKey()));
    return new EmailMessage(subject, b.toString());
  }

  /** Where the key was exposed, when the alert has it. */
  private static void exposure(StringBuilder b, AlertView.Exposure e) {
    if (e == null) {
      return;
    }
    b.append("\nWhere the key was exposed (Secret ").append(value(e.secret())).append(", read ")
        .append(AlertSummary.time(e.observedAt())).append("):\n");
    if (!e.known()) {
      b.append("  unknown (").append(value(e.reason())).append("): ").append(value(e.message())).append('\n');
      return;
    }
    b.append("  Workloads that could read it:").append(e.workloads().isEmpty() ? " none\n" : "\n");
    e.workloads().forEach(w -> b.append("    ").append(value(w.describe())).append('\n'));
    if (e.workloadsTruncated() > 0) {
      b.append("    +").append(e.workloadsTruncated()).append(" more not listed\n");
    }
    b.append("  RBAC subjects that may read it:").append(e.readers().isEmpty() ? " none\n" : "\n");
    e.readers().forEach(r -> b.append("    ").append(value(r.describe())).append('\n'));
    if (e.readersTruncated() > 0) {
      b.append("    +").append(e.readersTruncated()).append(" more not listed\n");
    }
  }

  private static void line(StringBuilder b, String label, String value) {
    b.append(label).append(':').append(" ".repeat(Math.max(1, 13 - label.length())))
        .append(value).append('\n');
  }

  private static String value(String raw) {
    return CleanText.lineOrDash(raw, VALUE_MAX);
  }

  private static String list(List<String> values, boolean capped) {
    return LISTS.list(values, EmailMessage::value, capped);
  }
}
