package io.spacecrab.detect;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.AlertEvent;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.kube.EventRecorder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns matched CloudTrail records into HoneyTokenAlert objects, one per incident (uses of one
 * token no further apart than the quiet window), idempotently: a record already counted (by
 * eventID) is not counted again, two writers converge through deterministic names and optimistic
 * concurrency. Then marks the HoneyToken as triggered.
 */
public class AlertWriter {
  private static final Logger log = LoggerFactory.getLogger(AlertWriter.class);
  public static final String LABEL_TOKEN_NAMESPACE = SpaceCrab.GROUP + "/token-namespace";
  public static final String LABEL_TOKEN_NAME = SpaceCrab.GROUP + "/token-name";
  public static final String LABEL_TOKEN_UID = SpaceCrab.GROUP + "/token-uid";
  static final int MAX_DISTINCT = 20;
  static final int MAX_RECENT = 20;
  static final int MAX_SEEN_IDS = 1000;
  private static final int MAX_ATTEMPTS = 10;

  private final KubernetesClient client;
  private final String alertNamespace;
  private final Duration quietWindow;
  private final EventRecorder events;
  private final Clock clock;

  public AlertWriter(KubernetesClient client, String alertNamespace, Duration quietWindow, EventRecorder events,
      Clock clock) {
    this.client = client;
    this.alertNamespace = alertNamespace;
    this.quietWindow = quietWindow;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Durably records these matches of one token; returns how many records were newly counted.
   * Safe to call again with the same records. Throws KubernetesClientException when the API
   * server cannot be written (the caller keeps the queue message).
   */
  public int record(RegistryEntry token, List<TokenMatch> matches) {
    List<TokenMatch> sorted = new ArrayList<>(distinctByEventId(matches));
    sorted.sort(Comparator.comparing(m -> time(m.record())));
    Map<String, String> tokenLabels = tokenLabels(token);
    for (int attempt = 1; ; attempt++) {
      try {
        Written written = writeOnce(token, sorted, tokenLabels);
        if (written.counted() > 0) {
          markTriggered(token, sorted, written.lastAlert());
        }
        return written.counted();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        log.debug("alert write for token {}/{} lost a race (attempt {}), re-reading", token.namespace(), token.name(),
            attempt);
      }
    }
  }

  private record Written(int counted, String lastAlert) {}

  private Written writeOnce(RegistryEntry token, List<TokenMatch> matches, Map<String, String> tokenLabels) {
    String uid = tokenKey(token);
    Map<Integer, HoneyTokenAlert> incidents = new TreeMap<>();
    for (HoneyTokenAlert a : client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace)
        .withLabel(LABEL_TOKEN_UID, uid).list().getItems()) {
      if (a.getSpec() != null && a.getSpec().getIncident() != null) {
        incidents.put(a.getSpec().getIncident(), a);
      }
    }
    Map<Integer, List<TokenMatch>> byIncident = new LinkedHashMap<>();
    for (TokenMatch m : matches) {
      Instant t = time(m.record());
      Integer incident = incidents.entrySet().stream()
          .filter(e -> covers(e.getValue().getSpec(), t)).map(Map.Entry::getKey).findFirst().orElse(null);
      if (incident == null) {
        incident = incidents.isEmpty() ? 1 : ((TreeMap<Integer, HoneyTokenAlert>) incidents).lastKey() + 1;
        incidents.put(incident, newAlert(token, incident, t));
      }
      byIncident.computeIfAbsent(incident, k -> new ArrayList<>()).add(m);
    }
    int counted = 0;
    String lastAlert = null;
    for (var e : byIncident.entrySet()) {
      HoneyTokenAlert alert = incidents.get(e.getKey());
      int added = merge(alert.getSpec(), token, e.getValue());
      if (added == 0) {
        continue;
      }
      if (tokenLabels != null) {
        alert.getSpec().setTokenLabels(tokenLabels);
      }
      if (alert.getMetadata().getResourceVersion() == null) {
        client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace).resource(alert).create();
        log.info("opened incident {} for token {}/{}: {} use(s)", alert.getMetadata().getName(), token.namespace(),
            token.name(), added);
      } else {
        client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace).resource(alert).update();
        log.info("incident {} of token {}/{}: {} more use(s), {} in all", alert.getMetadata().getName(),
            token.namespace(), token.name(), added, alert.getSpec().getEventCount());
      }
      counted += added;
      lastAlert = alert.getMetadata().getName();
    }
    return new Written(counted, lastAlert);
  }

  private boolean covers(HoneyTokenAlertSpec spec, Instant t) {
    Instant first = parse(spec.getFirstSeen());
    Instant last = parse(spec.getLastSeen());
    return first != null && last != null && !t.isBefore(first.minus(quietWindow)) && !t.isAfter(last.plus(quietWindow));
  }

  private HoneyTokenAlert newAlert(RegistryEntry token, int incident, Instant first) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName(alertName(token, incident)).withNamespace(alertNamespace)
        .addToLabels(LABEL_TOKEN_UID, tokenKey(token))
        .addToLabels(LABEL_TOKEN_NAMESPACE, labelValue(token.namespace()))
        .addToLabels(LABEL_TOKEN_NAME, labelValue(token.name()))
        .build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setToken(new TokenRef(token.namespace(), token.name(), token.uid()));
    spec.setIncident(incident);
    spec.setEventCount(0L);
    spec.setFirstSeen(first.toString());
    spec.setLastSeen(first.toString());
    alert.setSpec(spec);
    return alert;
  }

  /** Adds the records not yet counted; returns how many. Refreshes the token's description. */
  static int merge(HoneyTokenAlertSpec spec, RegistryEntry token, List<TokenMatch> matches) {
    LinkedHashSet<String> seen = new LinkedHashSet<>(spec.getSeenEventIDs());
    int added = 0;
    for (TokenMatch m : matches) {
      CloudTrailRecord r = m.record();
      String id = r.eventId() != null ? r.eventId() : syntheticId(r);
      if (!seen.add(id)) {
        continue;
      }
      added++;
      Instant t = time(r);
      if (parse(spec.getFirstSeen()) == null || t.isBefore(parse(spec.getFirstSeen()))) {
        spec.setFirstSeen(t.toString());
      }
      if (parse(spec.getLastSeen()) == null || t.isAfter(parse(spec.getLastSeen()))) {
        spec.setLastSeen(t.toString());
      }
      addDistinct(spec.getSourceIPs(), r.sourceIpAddress());
      addDistinct(spec.getUserAgents(), r.userAgent());
      addDistinct(spec.getEventNames(), eventName(r));
      addDistinct(spec.getRegions(), r.awsRegion());
      spec.getRecentEvents().add(event(r, id, m.matchedBy()));
    }
    if (added == 0) {
      return 0;
    }
    List<String> ids = new ArrayList<>(seen);
    spec.setSeenEventIDs(ids.size() > MAX_SEEN_IDS ? ids.subList(ids.size() - MAX_SEEN_IDS, ids.size()) : ids);
    List<AlertEvent> recent = new ArrayList<>(spec.getRecentEvents());
    recent.sort(Comparator.comparing(e -> Objects.requireNonNullElse(e.getEventTime(), "")));
    spec.setRecentEvents(recent.size() > MAX_RECENT ? new ArrayList<>(recent.subList(recent.size() - MAX_RECENT,
        recent.size())) : recent);
    spec.setEventCount((spec.getEventCount() == null ? 0 : spec.getEventCount()) + added);
    spec.setAccessKeyId(token.accessKeyId());
    spec.setUserName(token.userName());
    spec.setCluster(token.cluster());
    spec.setOwner(token.owner());
    spec.setLocation(token.location());
    spec.setNotes(token.notes());
    spec.setTokenState(token.state().name());
    return added;
  }

  private void markTriggered(RegistryEntry token, List<TokenMatch> matches, String alertName) {
    if (token.namespace() == null || token.name() == null) {
      return;
    }
    CloudTrailRecord last = matches.get(matches.size() - 1).record();
    Instant lastTime = time(last);
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      HoneyToken current = client.resources(HoneyToken.class).inNamespace(token.namespace()).withName(token.name())
          .get();
      if (current == null || !Objects.equals(current.getMetadata().getUid(), token.uid())) {
        return; // deleted (the tombstone alerted) or re-created as another token
      }
      HoneyTokenStatus status = current.getStatus() == null ? new HoneyTokenStatus() : current.getStatus();
      Instant previous = parse(status.getLastTriggeredAt());
      if (previous == null || lastTime.isAfter(previous)) {
        status.setLastTriggeredAt(lastTime.toString());
      }
      String message = "Key used: " + eventName(last) + " from " + last.sourceIpAddress() + " at " + lastTime
          + "; see HoneyTokenAlert " + alertNamespace + "/" + alertName + ".";
      status.setConditions(Conditions.set(status.getConditions(), Conditions.TRIGGERED, true, "KeyUsed",
          message, current.getMetadata().getGeneration(), clock.instant()));
      current.setStatus(status);
      try {
        client.resources(HoneyToken.class).inNamespace(token.namespace()).resource(current).updateStatus();
        events.warning(current, "KeyUsed", message);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          log.warn("could not mark HoneyToken {}/{} triggered: HTTP {}", token.namespace(), token.name(), e.getCode());
          return;
        }
      }
    }
  }

  /** The live HoneyToken's labels, for sinks that route on them; null when it is gone. */
  private Map<String, String> tokenLabels(RegistryEntry token) {
    if (token.namespace() == null || token.name() == null) {
      return null;
    }
    HoneyToken current = client.resources(HoneyToken.class).inNamespace(token.namespace()).withName(token.name()).get();
    if (current == null || !Objects.equals(current.getMetadata().getUid(), token.uid())) {
      return null;
    }
    return current.getMetadata().getLabels() == null ? Map.of() : new TreeMap<>(current.getMetadata().getLabels());
  }

  /** Deterministic: every detector replica names the n-th incident of a token the same. */
  static String alertName(RegistryEntry token, int incident) {
    String base = token.name() == null ? "token" : token.name();
    base = base.length() > 40 ? base.substring(0, 40) : base;
    base = base.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    return (base.isEmpty() ? "token" : base) + "-" + hash(tokenKey(token) + "/" + incident);
  }

  private static String tokenKey(RegistryEntry token) {
    return token.uid() != null ? token.uid() : token.accessKeyId();
  }

  private static AlertEvent event(CloudTrailRecord r, String id, TokenMatch.MatchedBy by) {
    AlertEvent e = new AlertEvent();
    e.setEventID(id);
    e.setEventTime(r.eventTime());
    e.setEventSource(r.eventSource());
    e.setEventName(r.eventName());
    e.setAwsRegion(r.awsRegion());
    e.setSourceIPAddress(r.sourceIpAddress());
    e.setUserAgent(r.userAgent());
    e.setErrorCode(r.errorCode());
    e.setAccessKeyId(r.accessKeyId());
    e.setMatchedBy(by.name());
    return e;
  }

  static String eventName(CloudTrailRecord r) {
    String source = r.eventSource() == null ? "?" : r.eventSource();
    int dot = source.indexOf('.');
    return (dot > 0 ? source.substring(0, dot) : source) + ":" + r.eventName();
  }

  private static void addDistinct(List<String> list, String value) {
    if (value != null && list.size() < MAX_DISTINCT && !list.contains(value)) {
      list.add(value);
    }
  }

  private static List<TokenMatch> distinctByEventId(List<TokenMatch> matches) {
    Map<String, TokenMatch> byId = new LinkedHashMap<>();
    for (TokenMatch m : matches) {
      byId.putIfAbsent(m.record().eventId() != null ? m.record().eventId() : syntheticId(m.record()), m);
    }
    return new ArrayList<>(byId.values());
  }

  private static String syntheticId(CloudTrailRecord r) {
    return "x-" + hash(r.eventTime() + "|" + r.eventSource() + "|" + r.eventName() + "|" + r.sourceIpAddress()
        + "|" + r.accessKeyId());
  }

  static Instant time(CloudTrailRecord r) {
    Instant t = parse(r.eventTime());
    return t != null ? t : Instant.now();
  }

  private static Instant parse(String text) {
    return io.spacecrab.api.Timestamps.parse(text);
  }

  private static String labelValue(String value) {
    if (value == null) {
      return "";
    }
    return value.length() <= 63 ? value : value.substring(0, 54) + "-" + hash(value);
  }

  private static String hash(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
