package io.spacecrab.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a Slack incoming-webhook post: Block Kit {@code blocks} plus a {@code text}
 * fallback for notifications. Every value that comes from the alert goes through
 * {@link SlackText#code}, so a user agent, error code or note cannot mention {@code @channel},
 * forge a link or change the formatting; every text stays inside Slack's documented limits.
 */
public final class SlackMessage implements JsonPayload {
  /** Slack's limit on a section's text. */
  static final int SECTION_TEXT_MAX = 3000;
  /** Slack's limit on one section field. */
  static final int FIELD_MAX = 2000;
  /** Slack's limit on a header block's text. */
  static final int HEADER_MAX = 150;
  static final int VALUE_MAX = 120;
  static final int LONG_VALUE_MAX = 300;
  static final int SHORT_MAX = 80;
  static final int AGENT_MAX = 200;
  static final int LIST_SHOWN = 5;
  static final int RECENT_SHOWN = 5;

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ListStyle LISTS =
      new ListStyle(LIST_SHOWN, "\n", "\n+", " more", "\n_more not kept: the alert keeps 20_");

  private final String text;
  private final ObjectNode json;

  private SlackMessage(String text, ObjectNode json) {
    this.text = text;
    this.json = json;
  }

  /** The message for one notification about the alert. */
  public static SlackMessage of(AlertView alert, NotificationKind kind) {
    String text = fallback(alert, kind);
    ObjectNode root = MAPPER.createObjectNode();
    root.put("text", text);
    ArrayNode blocks = root.putArray("blocks");
    ObjectNode header = blocks.addObject().put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", alert.pipelineDown()
        ? (kind == NotificationKind.RESOLVED ? "SpaceCrab pipeline recovered" : "SpaceCrab pipeline down")
        : title(kind));
    section(blocks, intro(alert, kind));
    ObjectNode facts = blocks.addObject().put("type", "section");
    ArrayNode fields = facts.putArray("fields");
    for (String field : fields(alert)) {
      fields.addObject().put("type", "mrkdwn").put("text", field);
    }
    if (!alert.recentEvents().isEmpty()) {
      section(blocks, recent(alert));
    }
    if (!alert.knownScannerCalls().isEmpty()) {
      section(blocks, scanners(alert));
    }
    if (alert.exposure() != null) {
      section(blocks, exposure(alert.exposure()));
    }
    ObjectNode context = blocks.addObject().put("type", "context");
    context.putArray("elements").addObject().put("type", "mrkdwn").put("text",
        "Alert " + SlackText.code(alert.alertName(), VALUE_MAX)
            + " · incident " + SlackText.code(alert.incidentKey(), LONG_VALUE_MAX));
    return new SlackMessage(text, root);
  }

  /** The notification fallback ({@code text}), itself escaped mrkdwn. */
  public String text() {
    return text;
  }

  /** The JSON body as a string. */
  @Override
  public String json() {
    return json.toString();
  }


  @Override
  public String toString() {
    return "SlackMessage[" + text.length() + " chars of text]";
  }

  private static void section(ArrayNode blocks, String mrkdwn) {
    blocks.addObject().put("type", "section")
        .putObject("text").put("type", "mrkdwn").put("text", mrkdwn);
  }

  private static String title(NotificationKind kind) {
    return switch (kind) {
      case OPENED -> "AWS honey token used";
      case UPDATED -> "AWS honey token still in use";
      case RESOLVED -> "AWS honey token alert resolved";
    };
  }

  private static String fallback(AlertView alert, NotificationKind kind) {
    String token = SlackText.code(alert.tokenRef(), LONG_VALUE_MAX);
    String calls = AlertSummary.calls(alert.eventCount());
    if (alert.pipelineDown()) {
      return AlertSummary.pipeline(alert, kind);
    }
    if (kind == NotificationKind.RESOLVED) {
      return "Resolved: AWS honey token " + token + " alert after " + calls;
    }
    if (alert.withoutTrail()) {
      return "AWS honey token " + token + " used without a CloudTrail record: IAM reports "
          + SlackText.code(AlertSummary.iamUse(alert), LONG_VALUE_MAX);
    }
    StringBuilder s = new StringBuilder("AWS honey token ").append(token).append(" used: ")
        .append(calls);
    String top = alert.mostUsedSourceIp();
    if (top != null) {
      s.append(" from ").append(SlackText.code(top, VALUE_MAX));
      String note = AlertSummary.addressNote(alert);
      if (!note.isEmpty()) {
        s.append(" (").append(note).append(')');
      }
    }
    return s.append(AlertSummary.scannerNote(alert)).toString();
  }

  private static String intro(AlertView alert, NotificationKind kind) {
    String token = SlackText.code(alert.tokenRef(), LONG_VALUE_MAX);
    String cluster = SlackText.code(alert.clusterId(), VALUE_MAX);
    String calls = "*" + AlertSummary.calls(alert.eventCount()) + "*";
    if (alert.pipelineDown()) {
      return AlertSummary.pipeline(alert, kind) + " in cluster " + cluster + "."
          + (kind == NotificationKind.RESOLVED ? "" : "\nUses of honey tokens through this path are not being seen:"
              + " check the trail, its delivery and the detector. Not a breach signal.");
    }
    String s = kind == NotificationKind.RESOLVED
        ? "The alert for token " + token + " in cluster " + cluster + " was resolved after "
            + calls + "."
        : alert.withoutTrail()
            ? "Token " + token + " in cluster " + cluster + " was used, and no CloudTrail record shows it: IAM reports "
                + SlackText.code(AlertSummary.iamUse(alert), LONG_VALUE_MAX) + ". An API CloudTrail does not log"
                + " (a known way to test a key quietly), or a broken trail."
                + "\nNobody legitimate uses this key: treat it as a breach signal."
            : "Token " + token + " in cluster " + cluster + " was used: " + calls + " so far."
                + "\nNobody legitimate uses this key: treat it as a breach signal.";
    if (alert.retired()) {
      s += "\nThe key had been retired (rotated out) before this use.";
    }
    return s;
  }

  private static List<String> fields(AlertView alert) {
    List<String> fields = new ArrayList<>();
    fields.add(field("Owner", SlackText.code(alert.owner(), VALUE_MAX)));
    fields.add(field("Location", SlackText.code(alert.location(), LONG_VALUE_MAX)));
    fields.add(field("First seen", AlertSummary.time(alert.firstSeen())));
    fields.add(field("Last seen", AlertSummary.time(alert.lastSeen())));
    fields.add(field("Source IPs", sourceIps(alert)));
    if (!alert.invokedBy().isEmpty()) {
      fields.add(field("Invoked by AWS services",
          list(alert.invokedBy(), VALUE_MAX, alert.capped(AlertView.Listed.INVOKED_BY))));
    }
    fields.add(field("Regions", list(alert.regions(), VALUE_MAX, alert.capped(AlertView.Listed.REGIONS))));
    fields.add(field("API calls", list(alert.eventNames(), VALUE_MAX,
        alert.capped(AlertView.Listed.EVENT_NAMES))));
    fields.add(field("User agents", list(alert.userAgents(), LONG_VALUE_MAX,
        alert.capped(AlertView.Listed.USER_AGENTS))));
    if (alert.notes() != null && !alert.notes().isBlank()) {
      fields.add(field("Notes", SlackText.code(alert.notes(), FIELD_MAX - 20)));
    }
    return fields;
  }

  private static String field(String label, String value) {
    return "*" + label + "*\n" + value;
  }

  private static String sourceIps(AlertView alert) {
    return LISTS.sourceIps(alert, ip -> SlackText.code(ip, VALUE_MAX));
  }

  private static String list(List<String> values, int valueMax, boolean capped) {
    return LISTS.list(values, v -> SlackText.code(v, valueMax), capped);
  }

  /** Where the key was exposed: the workloads that could read its Secret, the subjects RBAC lets read it. */
  private static String exposure(AlertView.Exposure e) {
    StringBuilder s = new StringBuilder("*Where the key was exposed* (Secret ")
        .append(SlackText.code(e.secret(), SHORT_MAX)).append(')');
    if (!e.known()) {
      return s.append("\nUnknown: ").append(SlackText.code(e.message(), SECTION_TEXT_MAX / 4)).toString();
    }
    s.append("\nWorkloads that could read it:");
    int shown = appendAll(s, e.workloads().stream().map(w -> SlackText.code(w.kind() + "/" + w.name(), SHORT_MAX)
        + " via " + String.join(", ", w.via())).toList());
    moreInAlert(s, e.workloads().size() - shown + e.workloadsTruncated(), e.workloads().isEmpty());
    s.append("\nRBAC subjects that may read it:");
    shown = appendAll(s, e.readers().stream().map(r -> r.kind() + " " + SlackText.code(
        (r.namespace() == null ? "" : r.namespace() + "/") + r.name(), SHORT_MAX) + " via "
        + SlackText.code(r.binding(), SHORT_MAX) + " (" + SlackText.code(String.join(", ", r.verbs()), SHORT_MAX)
        + ")").toList());
    moreInAlert(s, e.readers().size() - shown + e.readersTruncated(), e.readers().isEmpty());
    return s.toString();
  }

  private static int appendAll(StringBuilder s, List<String> lines) {
    int shown = 0;
    for (String line : lines) {
      if (shown == LIST_SHOWN * 2 || s.length() + line.length() + 3 > SECTION_TEXT_MAX / 2 - 80) {
        break;
      }
      s.append("\n• ").append(line);
      shown++;
    }
    return shown;
  }

  private static void moreInAlert(StringBuilder s, int more, boolean none) {
    if (none && more == 0) {
      s.append(" none");
    } else if (more > 0) {
      s.append("\n+").append(more).append(" more in the alert");
    }
  }

  /** The calls the sink's knownScanners rules matched: per rule, address and user agent. */
  private static String scanners(AlertView alert) {
    StringBuilder s = new StringBuilder("*Known scanners (recorded, not paged): ")
        .append(AlertSummary.calls(alert.suppressedCalls())).append('*');
    int shown = 0;
    for (AlertView.ScannerCalls c : alert.knownScannerCalls()) {
      String line = "\n• " + SlackText.code(c.rule(), SHORT_MAX) + ": " + SlackText.code(c.sourceIp(), SHORT_MAX)
          + " " + SlackText.code(c.userAgent(), AGENT_MAX) + " (" + AlertSummary.calls(c.calls()) + ")";
      if (s.length() + line.length() > SECTION_TEXT_MAX - 40) {
        break;
      }
      s.append(line);
      shown++;
    }
    if (shown < alert.knownScannerCalls().size()) {
      s.append("\n+").append(alert.knownScannerCalls().size() - shown).append(" more in the alert");
    }
    return s.toString();
  }

  /** The newest calls first, as many as fit (at most {@link #RECENT_SHOWN}). */
  private static String recent(AlertView alert) {
    List<AlertView.RecentEvent> events = alert.recentEvents();
    StringBuilder s = new StringBuilder("*Recent API calls (newest first)*");
    int shown = 0;
    for (int i = events.size() - 1; i >= 0 && shown < RECENT_SHOWN; i--) {
      AlertView.RecentEvent e = events.get(i);
      String line = "\n• " + AlertSummary.time(e.time()) + " " + SlackText.code(e.eventSource(), SHORT_MAX)
          + " " + SlackText.code(e.eventName(), SHORT_MAX)
          + (e.invokedBy() != null ? " invoked by " + SlackText.code(e.invokedBy(), SHORT_MAX)
              : " from " + SlackText.code(e.sourceIp(), SHORT_MAX))
          + (e.errorCode() == null ? "" : " → " + SlackText.code(e.errorCode(), SHORT_MAX))
          + (e.session() == null ? "" : " · " + SlackText.code(e.session().describe(), SHORT_MAX))
          + (e.suppressedBy() == null ? "" : " · known scanner " + SlackText.code(e.suppressedBy(), SHORT_MAX))
          + "\n    " + SlackText.code(e.userAgent(), AGENT_MAX);
      if (s.length() + line.length() > SECTION_TEXT_MAX - 40) {
        break;
      }
      s.append(line);
      shown++;
    }
    if (shown < events.size()) {
      s.append("\n+").append(events.size() - shown).append(" more in the alert");
    }
    return s.toString();
  }
}
