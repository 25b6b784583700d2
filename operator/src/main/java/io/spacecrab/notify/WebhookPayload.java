package io.spacecrab.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The versioned JSON body of a generic webhook, schema {@value #SCHEMA_VERSION}. Shape, in this
 * order (every field is always present; a string is null when unknown):
 *
 * <pre>
 * {
 *   "schemaVersion": "spacecrab.io/alert/v1",
 *   "type": "alert.opened" | "alert.updated" | "alert.resolved",
 *   "timestamp": ISO-8601 UTC instant of what the notification announces,
 *   "data": {
 *     "alertName", "incidentKey", "clusterId",
 *     "token": {"namespace", "name", "owner", "location", "notes", "retired": boolean},
 *     "firstSeen", "lastSeen" (ISO-8601 UTC), "eventCount": number,
 *     "sourceIps", "userAgents", "eventNames", "regions": [string],
 *     "sourceIpCalls": [{"sourceIp", "calls": number}],
 *     "invokedBy": [string],
 *     "cappedLists": [string],
 *     "suppressedCalls": number,
 *     "knownScannerCalls": [{"rule", "sourceIp", "userAgent", "calls": number}],
 *     "reason": "KeyUsed" | "UsedWithoutTrail",
 *     "iamLastUse": null | {"lastUsedDate", "serviceName", "region"},
 *     "exposure": null | {"state": "Known" | "Unknown", "reason", "message", "observedAt",
 *                  "secret": {"namespace", "name"},
 *                  "workloads": [{"kind", "name", "via": [string], "serviceAccount"}],
 *                  "workloadsTruncated": number,
 *                  "readers": [{"kind", "name", "namespace", "binding", "role", "verbs": [string]}],
 *                  "readersTruncated": number},
 *     "recentEvents": [{"eventId", "eventTime", "eventSource", "eventName", "sourceIp",
 *                       "userAgent", "errorCode", "invokedBy", "readOnly": boolean,
 *                       "eventType", "session": null | {"type", "mfaAuthenticated": boolean,
 *                       "createdAt"}, "suppressedBy"}]
 *   }
 * }
 * </pre>
 *
 * {@code sourceIps} lists the addresses the calls came from, the most used first, and
 * {@code sourceIpCalls} their counts; calls an AWS service made on the caller's behalf are not
 * among them but in {@code invokedBy}. {@code cappedLists} names the lists (by their field names
 * here) that reached the alert's cap of 20 while more distinct values were seen.
 * {@code suppressedCalls} counts the calls (among {@code eventCount}) this sink's
 * {@code knownScanners} rules matched, {@code knownScannerCalls} says which (address, user agent)
 * pairs and which rule, and a recent call's {@code suppressedBy} names its rule (null: none).
 * {@code reason} is {@code UsedWithoutTrail} when IAM's own record of the key's last use
 * ({@code iamLastUse}: when, to the minute, and the service and region the request named) shows a
 * use no CloudTrail record covers; then {@code eventCount} is 0 and the CloudTrail lists are empty.
 * {@code exposure} says where the key was exposed when the alert was first handled: the workloads
 * that could read the token's Secret (and how) and the subjects RBAC lets read it, at most 20 each
 * (the truncated counts say how many more); null for an alert handled before it was read.
 *
 * Values are passed through as recorded (JSON-escaped, not shortened): a receiver that renders
 * them must treat them as attacker-controlled text. New fields may be added within v1; a
 * change to the meaning or type of a field gets a new schema version.
 */
public final class WebhookPayload implements JsonPayload {
  /** The value of {@code schemaVersion} this class writes. */
  public static final String SCHEMA_VERSION = "spacecrab.io/alert/v1";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String type;
  private final ObjectNode json;

  private WebhookPayload(String type, ObjectNode json) {
    this.type = type;
    this.json = json;
  }

  /**
   * The body announcing {@code kind} for the alert; {@code timestamp} is when that happened (the
   * latest call for opened/updated, the resolution for resolved), fixed across retries.
   */
  public static WebhookPayload of(AlertView alert, NotificationKind kind, Instant timestamp) {
    Objects.requireNonNull(timestamp, "timestamp");
    String type = "alert." + kind.wireName();
    ObjectNode root = MAPPER.createObjectNode();
    root.put("schemaVersion", SCHEMA_VERSION);
    root.put("type", type);
    root.put("timestamp", timestamp.toString());
    ObjectNode data = root.putObject("data");
    data.put("alertName", alert.alertName());
    data.put("incidentKey", alert.incidentKey());
    data.put("clusterId", alert.clusterId());
    ObjectNode token = data.putObject("token");
    token.put("namespace", alert.tokenNamespace());
    token.put("name", alert.tokenName());
    token.put("owner", alert.owner());
    token.put("location", alert.location());
    token.put("notes", alert.notes());
    token.put("retired", alert.retired());
    data.put("firstSeen", alert.firstSeen().toString());
    data.put("lastSeen", alert.lastSeen().toString());
    data.put("eventCount", alert.eventCount());
    strings(data.putArray("sourceIps"), alert.sourceIps());
    strings(data.putArray("userAgents"), alert.userAgents());
    strings(data.putArray("eventNames"), alert.eventNames());
    strings(data.putArray("regions"), alert.regions());
    ArrayNode calls = data.putArray("sourceIpCalls");
    alert.sourceIps().stream().filter(alert.sourceIpCalls()::containsKey).forEach(ip ->
        calls.addObject().put("sourceIp", ip).put("calls", alert.sourceIpCalls().get(ip)));
    strings(data.putArray("invokedBy"), alert.invokedBy());
    ArrayNode capped = data.putArray("cappedLists");
    alert.cappedLists().forEach(l -> capped.add(l.wireName()));
    data.put("suppressedCalls", alert.suppressedCalls());
    ArrayNode scanners = data.putArray("knownScannerCalls");
    alert.knownScannerCalls().forEach(c -> scanners.addObject().put("rule", c.rule()).put("sourceIp", c.sourceIp())
        .put("userAgent", c.userAgent()).put("calls", c.calls()));
    data.put("reason", alert.reason());
    if (alert.iamLastUse() == null) {
      data.putNull("iamLastUse");
    } else {
      data.putObject("iamLastUse").put("lastUsedDate", alert.iamLastUse().lastUsed().toString())
          .put("serviceName", alert.iamLastUse().serviceName()).put("region", alert.iamLastUse().region());
    }
    exposure(data, alert.exposure());
    ArrayNode events = data.putArray("recentEvents");
    for (AlertView.RecentEvent e : alert.recentEvents()) {
      ObjectNode event = events.addObject();
      event.put("eventId", e.eventId());
      event.put("eventTime", e.time() == null ? null : e.time().toString());
      event.put("eventSource", e.eventSource());
      event.put("eventName", e.eventName());
      event.put("sourceIp", e.sourceIp());
      event.put("userAgent", e.userAgent());
      event.put("errorCode", e.errorCode());
      event.put("invokedBy", e.invokedBy());
      event.put("readOnly", e.readOnly());
      event.put("eventType", e.eventType());
      if (e.session() == null) {
        event.putNull("session");
      } else {
        event.putObject("session").put("type", e.session().type())
            .put("mfaAuthenticated", e.session().mfaAuthenticated())
            .put("createdAt", e.session().createdAt() == null ? null : e.session().createdAt().toString());
      }
      event.put("suppressedBy", e.suppressedBy());
    }
    return new WebhookPayload(type, root);
  }

  private static void exposure(ObjectNode data, AlertView.Exposure e) {
    if (e == null) {
      data.putNull("exposure");
      return;
    }
    ObjectNode exposure = data.putObject("exposure");
    exposure.put("state", e.state());
    exposure.put("reason", e.reason());
    exposure.put("message", e.message());
    exposure.put("observedAt", e.observedAt() == null ? null : e.observedAt().toString());
    exposure.putObject("secret").put("namespace", e.secretNamespace()).put("name", e.secretName());
    ArrayNode workloads = exposure.putArray("workloads");
    for (AlertView.Workload w : e.workloads()) {
      ObjectNode workload = workloads.addObject().put("kind", w.kind()).put("name", w.name());
      strings(workload.putArray("via"), w.via());
      workload.put("serviceAccount", w.serviceAccount());
    }
    exposure.put("workloadsTruncated", e.workloadsTruncated());
    ArrayNode readers = exposure.putArray("readers");
    for (AlertView.Reader r : e.readers()) {
      ObjectNode reader = readers.addObject().put("kind", r.kind()).put("name", r.name())
          .put("namespace", r.namespace()).put("binding", r.binding()).put("role", r.role());
      strings(reader.putArray("verbs"), r.verbs());
    }
    exposure.put("readersTruncated", e.readersTruncated());
  }

  /** The event type, e.g. {@code alert.opened}. */
  public String type() {
    return type;
  }

  /** The compact JSON body; these exact bytes (as UTF-8) are what gets signed and sent. */
  @Override
  public String json() {
    return json.toString();
  }


  @Override
  public String toString() {
    return "WebhookPayload[" + type + "]";
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }
}
