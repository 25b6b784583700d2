package io.spacecrab.notify;

import io.spacecrab.api.Alerts;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
 * @param sourceIps addresses the calls came from, the most used first; calls AWS services made on
 *     the caller's behalf are not among them (see {@code invokedBy})
 * @param recentEvents a bounded sample of the latest calls, newest last
 * @param sourceIpCalls calls per address of {@code sourceIps}, where known
 * @param invokedBy AWS services that made calls on the caller's behalf
 * @param cappedLists the lists that reached the alert's cap: more distinct values were seen
 * @param knownScannerCalls the calls this sink's knownScanners rules suppressed, per rule and
 *     (address, user agent) pair; they are counted in {@code eventCount} too
 * @param reason {@value #KEY_USED} for uses CloudTrail recorded, {@value #USED_WITHOUT_TRAIL} for a
 *     use IAM reports that no CloudTrail record shows
 * @param iamLastUse for {@value #USED_WITHOUT_TRAIL}: the use as IAM reports it; null otherwise
 * @param exposure where the key was exposed, read when the alert was first handled; null when
 *     the alert has none (handled before exposure was read)
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
    List<RecentEvent> recentEvents,
    Map<String, Long> sourceIpCalls,
    List<String> invokedBy,
    Set<Listed> cappedLists,
    List<ScannerCalls> knownScannerCalls,
    String reason,
    IamUse iamLastUse,
    Exposure exposure) {

  /** Uses of the key that CloudTrail recorded. */
  public static final String KEY_USED = Alerts.KEY_USED;
  /** A use of the key IAM reports (GetAccessKeyLastUsed) that no CloudTrail record shows. */
  public static final String USED_WITHOUT_TRAIL = Alerts.USED_WITHOUT_TRAIL;

  /** An alert about uses CloudTrail recorded, no known scanner's rule applying to it. */
  public AlertView(String alertName, String incidentKey, String clusterId, String tokenNamespace, String tokenName,
      String owner, String location, String notes, boolean retired, Instant firstSeen, Instant lastSeen,
      long eventCount, List<String> sourceIps, List<String> userAgents, List<String> eventNames,
      List<String> regions, List<RecentEvent> recentEvents, Map<String, Long> sourceIpCalls,
      List<String> invokedBy, Set<Listed> cappedLists) {
    this(alertName, incidentKey, clusterId, tokenNamespace, tokenName, owner, location, notes, retired, firstSeen,
        lastSeen, eventCount, sourceIps, userAgents, eventNames, regions, recentEvents, sourceIpCalls, invokedBy,
        cappedLists, List.of(), KEY_USED, null, null);
  }

  /** An alert without a record of where its key was exposed. */
  public AlertView(String alertName, String incidentKey, String clusterId, String tokenNamespace, String tokenName,
      String owner, String location, String notes, boolean retired, Instant firstSeen, Instant lastSeen,
      long eventCount, List<String> sourceIps, List<String> userAgents, List<String> eventNames,
      List<String> regions, List<RecentEvent> recentEvents, Map<String, Long> sourceIpCalls,
      List<String> invokedBy, Set<Listed> cappedLists, List<ScannerCalls> knownScannerCalls, String reason,
      IamUse iamLastUse) {
    this(alertName, incidentKey, clusterId, tokenNamespace, tokenName, owner, location, notes, retired, firstSeen,
        lastSeen, eventCount, sourceIps, userAgents, eventNames, regions, recentEvents, sourceIpCalls, invokedBy,
        cappedLists, knownScannerCalls, reason, iamLastUse, null);
  }

  /** This alert with {@code exposure}. */
  public AlertView withExposure(Exposure exposure) {
    return new AlertView(alertName, incidentKey, clusterId, tokenNamespace, tokenName, owner, location, notes,
        retired, firstSeen, lastSeen, eventCount, sourceIps, userAgents, eventNames, regions, recentEvents,
        sourceIpCalls, invokedBy, cappedLists, knownScannerCalls, reason, iamLastUse, exposure);
  }

  /**
   * Where the token's key was exposed when the alert was first handled: the workloads that could
   * read its Secret and the subjects RBAC lets read it, each list capped (the truncated counts say
   * how many more).
   *
   * @param state Known, or Unknown (then {@code reason} and {@code message} say why; lists empty)
   * @param observedAt when it was read; null when unknown
   */
  public record Exposure(String state, String reason, String message, String secretNamespace, String secretName,
      Instant observedAt, List<Workload> workloads, int workloadsTruncated, List<Reader> readers,
      int readersTruncated) {
    public Exposure {
      workloads = copy(workloads);
      readers = copy(readers);
    }

    /** True when the lists were read (they may be empty: nothing could read the Secret). */
    public boolean known() {
      return "Known".equals(state);
    }

    /** E.g. "payments/db-creds". */
    public String secret() {
      return (secretNamespace == null ? "?" : secretNamespace) + "/" + (secretName == null ? "?" : secretName);
    }
  }

  /**
   * A workload that could read the Secret.
   *
   * @param via volume, projected, env, envFrom, serviceAccount
   */
  public record Workload(String kind, String name, List<String> via, String serviceAccount) {
    public Workload {
      via = copy(via);
    }

    /** E.g. "Deployment/api (volume, env)". */
    public String describe() {
      return kind + "/" + name + " (" + String.join(", ", via) + ")";
    }
  }

  /**
   * A subject RBAC lets read the Secret.
   *
   * @param binding RoleBinding/name or ClusterRoleBinding/name
   * @param role Role/name or ClusterRole/name
   */
  public record Reader(String kind, String name, String namespace, String binding, String role, List<String> verbs) {
    public Reader {
      verbs = copy(verbs);
    }

    /** E.g. "ServiceAccount payments/ci via RoleBinding/ci-read (Role/read-secrets: get)". */
    public String describe() {
      return kind + " " + (namespace == null ? "" : namespace + "/") + name + " via " + binding + " (" + role + ": "
          + String.join(", ", verbs) + ")";
    }
  }

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
    Map<String, Long> calls = new LinkedHashMap<>();
    if (sourceIpCalls != null) {
      sourceIpCalls.forEach((ip, n) -> {
        if (ip != null && n != null) {
          calls.put(ip, n);
        }
      });
    }
    sourceIpCalls = Collections.unmodifiableMap(calls);
    invokedBy = copy(invokedBy);
    cappedLists = cappedLists == null || cappedLists.isEmpty() ? Set.of()
        : Collections.unmodifiableSet(EnumSet.copyOf(cappedLists));
    knownScannerCalls = copy(knownScannerCalls);
    reason = reason == null || reason.isBlank() ? KEY_USED : reason;
  }

  /**
   * Calls of one (address, user agent) pair that a sink's knownScanners rule matched: recorded,
   * not paged for.
   *
   * @param rule the name of the rule that matched
   */
  public record ScannerCalls(String rule, String sourceIp, String userAgent, long calls) {}

  /** Calls the sink's knownScanners rules suppressed (counted in {@link #eventCount()} too). */
  public long suppressedCalls() {
    return knownScannerCalls.stream().mapToLong(ScannerCalls::calls).sum();
  }

  /**
   * True for a pipeline notice: the self-test's use did not arrive through the intake path named
   * in {@link #location()} since {@link #firstSeen()}. Not a breach.
   */
  public boolean pipelineDown() {
    return io.spacecrab.api.SpaceCrab.PIPELINE_DOWN.equals(reason);
  }

  /** True for a use IAM reports and CloudTrail does not show. */
  public boolean withoutTrail() {
    return USED_WITHOUT_TRAIL.equals(reason);
  }

  /**
   * A key's latest use as IAM reports it; service and region may be null (IAM said N/A).
   *
   * @param lastUsed IAM's time, to the minute
   */
  public record IamUse(Instant lastUsed, String serviceName, String region) {
    /** E.g. "sts in eu-west-1 at 2026-11-30T12:37:00Z". */
    public String describe() {
      return (serviceName == null ? "an unknown service" : serviceName) + " in "
          + (region == null ? "an unknown region" : region) + " at " + lastUsed;
    }
  }

  /** The bounded lists of an alert, by the name the webhook payload gives them. */
  public enum Listed {
    SOURCE_IPS("sourceIps"),
    INVOKED_BY("invokedBy"),
    USER_AGENTS("userAgents"),
    EVENT_NAMES("eventNames"),
    REGIONS("regions");

    private final String wireName;

    Listed(String wireName) {
      this.wireName = wireName;
    }

    /** The list's field name in the webhook payload. */
    public String wireName() {
      return wireName;
    }
  }

  /** True when this list reached the alert's cap: it does not show every value seen. */
  public boolean capped(Listed list) {
    return cappedLists.contains(list);
  }

  /** The address most calls came from (the first listed when the counts are unknown); null when none. */
  public String mostUsedSourceIp() {
    String best = null;
    long bestCalls = -1;
    for (String ip : sourceIps) {
      long n = sourceIpCalls.getOrDefault(ip, 0L);
      if (n > bestCalls) {
        best = ip;
        bestCalls = n;
      }
    }
    return best;
  }

  /**
   * One API call made with the token, as CloudTrail recorded it; any field may be null.
   *
   * @param invokedBy the AWS service that made the call on the caller's behalf
   * @param session the temporary credentials' session; null for a call signed with the long-term key
   * @param suppressedBy the knownScanners rule of the sink that matched the call; null when none did
   */
  public record RecentEvent(
      String eventId,
      Instant time,
      String eventSource,
      String eventName,
      String sourceIp,
      String userAgent,
      String errorCode,
      String invokedBy,
      Boolean readOnly,
      String eventType,
      Session session,
      String suppressedBy) {

    /** A call no known scanner's rule matched. */
    public RecentEvent(String eventId, Instant time, String eventSource, String eventName, String sourceIp,
        String userAgent, String errorCode, String invokedBy, Boolean readOnly, String eventType, Session session) {
      this(eventId, time, eventSource, eventName, sourceIp, userAgent, errorCode, invokedBy, readOnly, eventType,
          session, null);
    }
  }

  /**
   * The session of temporary credentials a call was made with.
   *
   * @param type Console, SessionToken (sts:GetSessionToken) or Temporary
   * @param mfaAuthenticated whether the session was created with MFA; null when unknown
   * @param createdAt when the session was created; null when unknown
   */
  public record Session(String type, Boolean mfaAuthenticated, Instant createdAt) {
    /** E.g. "SessionToken session, no MFA, created 2024-05-14T09:13:02Z". */
    public String describe() {
      StringBuilder s = new StringBuilder(type == null ? "unknown" : type).append(" session");
      if (mfaAuthenticated != null) {
        s.append(mfaAuthenticated ? ", MFA" : ", no MFA");
      }
      if (createdAt != null) {
        s.append(", created ").append(createdAt);
      }
      return s.toString();
    }
  }

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
