package io.spacecrab.notify;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What every notification says about one honey-token incident, independent of where the alert is
 * stored. Strings other than the identifiers may be null (absent); list arguments may be null
 * and are copied without their null elements.
 *
 * @param alertName name of the alert object; identifies the incident in the cluster
 * @param incidentKey stable key of the incident, the deduplication key at every sink
 * @param clusterId the cluster the token lives in, as configured
 * @param retired true when the key was retired (rotated out) before it was used
 * @param eventCount number of API calls seen with the token so far
 * @param recentEvents a bounded sample of the latest calls, newest last
 */
public record AlertView(
    String alertName,
    String incidentKey,
    String clusterId,
    String tokenNamespace,
    String tokenName,
    String owner,
    String location,
    String notes,
    boolean retired,
    Instant firstSeen,
    Instant lastSeen,
    long eventCount,
    List<String> sourceIps,
    List<String> userAgents,
    List<String> eventNames,
    List<String> regions,
    List<RecentEvent> recentEvents) {

  public AlertView {
    requireText(alertName, "alertName");
    requireText(incidentKey, "incidentKey");
    requireText(tokenName, "tokenName");
    Objects.requireNonNull(firstSeen, "firstSeen");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (eventCount < 0) {
      throw new IllegalArgumentException("eventCount must not be negative");
    }
    sourceIps = copy(sourceIps);
    userAgents = copy(userAgents);
    eventNames = copy(eventNames);
    regions = copy(regions);
    recentEvents = copy(recentEvents);
  }

  /** One API call made with the token, as CloudTrail recorded it; any field may be null. */
  public record RecentEvent(
      String eventId,
      Instant time,
      String eventSource,
      String eventName,
      String sourceIp,
      String userAgent,
      String errorCode) {}

  /** {@code namespace/name} of the token, or just its name when it has no namespace. */
  public String tokenRef() {
    return tokenNamespace == null || tokenNamespace.isEmpty()
        ? tokenName
        : tokenNamespace + "/" + tokenName;
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static <T> List<T> copy(List<T> values) {
    return values == null ? List.of() : values.stream().filter(Objects::nonNull).toList();
  }
}
