package io.spacecrab.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A PagerDuty Events API v2 body: {@code trigger} (opens the incident, or adds to it while it is
 * open) or {@code resolve}, with {@code dedup_key} = the alert's incident key so a burst of
 * calls folds into one incident. Text is cleaned and shortened: summary at most
 * {@value #SUMMARY_MAX} characters, lists and strings in {@code custom_details} bounded. Holds
 * the routing key, which only the body carries: {@link #toString()} never shows it.
 */
public final class PagerDutyEvent implements JsonPayload {
  /** Where events are posted. */
  public static final URI ENQUEUE_URI = URI.create("https://events.pagerduty.com/v2/enqueue");
  /** PagerDuty's limit on {@code payload.summary}. */
  public static final int SUMMARY_MAX = 1024;
  /** PagerDuty's limit on {@code dedup_key}. */
  public static final int DEDUP_KEY_MAX = 255;
  static final int DETAIL_MAX = 512;
  static final int LIST_MAX = 20;
  static final int RECENT_MAX = 10;
  /** The last entry of a list the alert capped: more distinct values were seen than it keeps. */
  static final String CAPPED = "(more not kept: the alert keeps 20)";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String action;
  private final String dedupKey;
  private final ObjectNode json;

  /** PagerDuty's {@code payload.severity}. */
  public enum Severity {
    CRITICAL, ERROR, WARNING, INFO;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private PagerDutyEvent(String action, String dedupKey, ObjectNode json) {
    this.action = action;
    this.dedupKey = dedupKey;
    this.json = json;
  }

  /** A {@code trigger} for the alert: opens the incident or updates the open one. */
  public static PagerDutyEvent trigger(String routingKey, AlertView alert, Severity severity) {
    String dedupKey = dedupKey(alert.incidentKey());
    ObjectNode root = envelope(routingKey, "trigger", dedupKey);
    ObjectNode payload = root.putObject("payload");
    payload.put("summary", AlertSummary.of(alert, NotificationKind.OPENED, SUMMARY_MAX));
    String cluster = CleanText.line(alert.clusterId(), 255);
    payload.put("source", cluster == null || cluster.isEmpty() ? "spacecrab" : cluster);
    payload.put("severity", severity.wireName());
    payload.put("timestamp", alert.lastSeen().toString());
    payload.put("component", CleanText.line(alert.tokenRef(), 255));
    if (cluster != null && !cluster.isEmpty()) {
      payload.put("group", cluster);
    }
    payload.put("class", alert.pipelineDown() ? io.spacecrab.api.SpaceCrab.PIPELINE_DOWN
        : alert.withoutTrail() ? AlertView.USED_WITHOUT_TRAIL : alert.eventNames().isEmpty()
        ? "AwsApiCall"
        : CleanText.line(alert.eventNames().get(0), 255));
    ObjectNode details = payload.putObject("custom_details");
    details.put("alert", detail(alert.alertName()));
    details.put("cluster", detail(alert.clusterId()));
    details.put("token", detail(alert.tokenRef()));
    details.put("namespace", detail(alert.tokenNamespace()));
    details.put("owner", detail(alert.owner()));
    details.put("location", detail(alert.location()));
    details.put("notes", detail(alert.notes()));
    details.put("retired", alert.retired());
    details.put("first_seen", alert.firstSeen().toString());
    details.put("last_seen", alert.lastSeen().toString());
    details.put("event_count", alert.eventCount());
    if (alert.withoutTrail()) {
      // IAM's record of the use, not CloudTrail's: the lists below are empty
      details.put("reason", AlertView.USED_WITHOUT_TRAIL);
      details.put("iam_last_use", AlertSummary.iamUse(alert));
    }
    list(details.putArray("source_ips"), alert.sourceIps(), alert.capped(AlertView.Listed.SOURCE_IPS));
    ObjectNode calls = details.putObject("source_ip_calls");
    alert.sourceIps().stream().limit(LIST_MAX).filter(alert.sourceIpCalls()::containsKey)
        .forEach(ip -> calls.put(detail(ip), alert.sourceIpCalls().get(ip)));
    list(details.putArray("invoked_by"), alert.invokedBy(), alert.capped(AlertView.Listed.INVOKED_BY));
    list(details.putArray("user_agents"), alert.userAgents(), alert.capped(AlertView.Listed.USER_AGENTS));
    list(details.putArray("event_names"), alert.eventNames(), alert.capped(AlertView.Listed.EVENT_NAMES));
    list(details.putArray("regions"), alert.regions(), alert.capped(AlertView.Listed.REGIONS));
    if (!alert.knownScannerCalls().isEmpty()) {
      details.put("suppressed_calls", alert.suppressedCalls());
      ArrayNode scanners = details.putArray("known_scanner_calls");
      alert.knownScannerCalls().stream().limit(LIST_MAX).forEach(c -> scanners.addObject()
          .put("rule", detail(c.rule())).put("source_ip", detail(c.sourceIp()))
          .put("user_agent", detail(c.userAgent())).put("calls", c.calls()));
    }
    if (alert.exposure() != null) {
      AlertView.Exposure e = alert.exposure();
      ObjectNode exposure = details.putObject("exposure");
      exposure.put("state", e.state());
      if (!e.known()) {
        exposure.put("reason", detail(e.reason()));
        exposure.put("message", detail(e.message()));
      }
      exposure.put("secret", detail(e.secret()));
      ArrayNode workloads = exposure.putArray("workloads");
      e.workloads().stream().limit(LIST_MAX).forEach(w -> workloads.add(detail(w.describe())));
      exposure.put("workloads_truncated", e.workloadsTruncated());
      ArrayNode readers = exposure.putArray("readers");
      e.readers().stream().limit(LIST_MAX).forEach(r -> readers.add(detail(r.describe())));
      exposure.put("readers_truncated", e.readersTruncated());
    }
    ArrayNode recent = details.putArray("recent_events");
    List<AlertView.RecentEvent> events = alert.recentEvents();
    for (int i = events.size() - 1; i >= Math.max(0, events.size() - RECENT_MAX); i--) {
      AlertView.RecentEvent e = events.get(i);
      ObjectNode event = recent.addObject();
      event.put("event_id", detail(e.eventId()));
      event.put("time", e.time() == null ? null : e.time().toString());
      event.put("event_source", detail(e.eventSource()));
      event.put("event_name", detail(e.eventName()));
      event.put("source_ip", detail(e.sourceIp()));
      event.put("user_agent", detail(e.userAgent()));
      event.put("error_code", detail(e.errorCode()));
      event.put("invoked_by", detail(e.invokedBy()));
      event.put("read_only", e.readOnly());
      event.put("event_type", detail(e.eventType()));
      event.put("session", e.session() == null ? null : detail(e.session().describe()));
      if (e.suppressedBy() != null) {
        event.put("suppressed_by", detail(e.suppressedBy()));
      }
    }
    root.put("client", "SpaceCrab");
    return new PagerDutyEvent("trigger", dedupKey, root);
  }

  /** A {@code resolve} for the alert's incident. */
  public static PagerDutyEvent resolve(String routingKey, AlertView alert) {
    String dedupKey = dedupKey(alert.incidentKey());
    return new PagerDutyEvent("resolve", dedupKey, envelope(routingKey, "resolve", dedupKey));
  }

  /**
   * The incident key as a PagerDuty {@code dedup_key}: itself when it fits, otherwise its first
   * 190 characters, {@code ~} and the SHA-256 of the whole key in hex (stable, still unique).
   */
  public static String dedupKey(String incidentKey) {
    if (incidentKey.length() <= DEDUP_KEY_MAX) {
      return incidentKey;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest(incidentKey.getBytes(StandardCharsets.UTF_8));
      String prefix = incidentKey.substring(0, 190);
      if (Character.isHighSurrogate(prefix.charAt(prefix.length() - 1))) {
        prefix = prefix.substring(0, prefix.length() - 1);
      }
      return prefix + "~" + HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** {@code trigger} or {@code resolve}. */
  public String eventAction() {
    return action;
  }

  /** The {@code dedup_key} sent. */
  public String dedupKey() {
    return dedupKey;
  }

  /** The JSON body, routing key included: send it, never log it. */
  @Override
  public String json() {
    return json.toString();
  }


  @Override
  public String toString() {
    return "PagerDutyEvent[" + action + ", dedupKey=" + dedupKey + "]";
  }

  private static ObjectNode envelope(String routingKey, String action, String dedupKey) {
    requireRoutingKey(routingKey);
    ObjectNode root = MAPPER.createObjectNode();
    root.put("routing_key", routingKey);
    root.put("event_action", action);
    root.put("dedup_key", dedupKey);
    return root;
  }

  private static void requireRoutingKey(String routingKey) {
    if (routingKey == null || routingKey.isBlank()) {
      throw new IllegalArgumentException("PagerDuty routing key is empty");
    }
    for (int i = 0; i < routingKey.length(); i++) {
      char c = routingKey.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "PagerDuty routing key contains whitespace or non-ASCII characters");
      }
    }
  }

  private static String detail(String value) {
    return CleanText.line(value, DETAIL_MAX);
  }

  /** Up to {@link #LIST_MAX} values, then how many more; a list the alert capped says so last. */
  private static void list(ArrayNode array, List<String> values, boolean capped) {
    int shown = Math.min(LIST_MAX, values.size());
    for (int i = 0; i < shown; i++) {
      array.add(detail(values.get(i)));
    }
    if (values.size() > shown) {
      array.add("+" + (values.size() - shown) + " more");
    }
    if (capped) {
      array.add(CAPPED);
    }
  }
}
