package io.spacecrab.detect;

import io.spacecrab.api.Alerts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.AlertEvent;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import io.spacecrab.api.v1alpha1.SourceIPCalls;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.StatusUpdate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns matched CloudTrail records into HoneyTokenAlert objects, one per incident (a maximal run
 * of uses of one token no further apart than the quiet window), idempotently: a record already counted (by
 * eventID) is not counted again, two writers converge through deterministic names and optimistic
 * concurrency. Each incident has one {@code KeyUsed} Warning Event, about its alert, kept up to
 * date; the HoneyToken is marked triggered and names the token's latest use.
 */
public class AlertWriter {
  private static final Logger log = LoggerFactory.getLogger(AlertWriter.class);
  private static final int MAX_ATTEMPTS = 10;
  private static final io.spacecrab.backoff.Backoff CONFLICT_BACKOFF =
      new io.spacecrab.backoff.Backoff(java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(500));

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
   * The token's incidents come out the same whatever batches and order its uses arrive in
   * ({@link IncidentChanges}); an incident a use joins to an older one is folded into it. Safe to
   * call again with the same records. Throws KubernetesClientException when the API
   * server cannot be written (the caller keeps the queue message).
   */
  public int record(RegistryRecord token, List<TokenMatch> matches) {
    List<TokenMatch> sorted = new ArrayList<>(distinctByEventId(matches));
    sorted.sort(Comparator.comparing(m -> AlertMerge.time(m.record())));
    Map<String, String> tokenLabels = tokenLabels(token);
    for (int attempt = 1; ; attempt++) {
      try {
        Written written = writeOnce(token, sorted, tokenLabels);
        if (!written.alerts().isEmpty()) {
          for (HoneyTokenAlert alert : written.alerts()) {
            HoneyTokenAlertSpec s = alert.getSpec();
            events.warningSeries(alert, Alerts.KEY_USED, incidentMessage(s), s.getEventCount(),
                Timestamps.parse(s.getFirstSeen()), Timestamps.parse(s.getLastSeen()));
          }
          markTriggered(token, written.latest());
        }
        return written.counted();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
        log.debug("alert write for token {}/{} lost a race (attempt {}), re-reading", token.namespace(), token.name(),
            attempt);
        // many writers on one incident (replicas, pollers): a short random wait spreads them out
        pause(CONFLICT_BACKOFF.delay(attempt));
      }
    }
  }

  /** What one write did: records newly counted, the alerts written, the token's latest use in any incident. */
  private record Written(int counted, List<HoneyTokenAlert> alerts, LatestUse latest) {}

  /** The latest use of a token (by eventTime) and the alert that holds it. */
  private record LatestUse(AlertEvent event, String alertName) {}

  private Written writeOnce(RegistryRecord token, List<TokenMatch> matches, Map<String, String> tokenLabels) {
    List<HoneyTokenAlert> stored = client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace)
        .withLabel(Alerts.LABEL_TOKEN_UID, IncidentChanges.tokenKey(token)).list().getItems();
    IncidentChanges.Changes changes = IncidentChanges.plan(token, stored, matches, quietWindow, alertNamespace);
    Map<String, HoneyTokenAlert> after = new LinkedHashMap<>();
    stored.forEach(a -> after.put(a.getMetadata().getName(), a));
    List<HoneyTokenAlert> written = new ArrayList<>();
    for (IncidentChanges.Write w : changes.incidents()) {
      HoneyTokenAlert alert = w.alert();
      if (tokenLabels != null) {
        alert.getSpec().setTokenLabels(tokenLabels);
      }
      HoneyTokenAlert result;
      if (w.create()) {
        result = client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace).resource(alert).create();
        log.info("opened incident {} for token {}/{}: {} use(s)", alert.getMetadata().getName(), token.namespace(),
            token.name(), w.added());
      } else {
        result = client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace).resource(alert).update();
        log.info("incident {} of token {}/{}: {} more use(s), {} in all{}", alert.getMetadata().getName(),
            token.namespace(), token.name(), w.added(), alert.getSpec().getEventCount(),
            alert.getSpec().getMergedIncidents() == null ? "" : ", incidents "
                + alert.getSpec().getMergedIncidents() + " folded in");
      }
      after.put(result.getMetadata().getName(), result);
      written.add(result);
    }
    for (HoneyTokenAlert folded : changes.folded()) {
      HoneyTokenAlert result = client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace).resource(folded)
          .update();
      log.info("incident {} of token {}/{} folded into {}: a use joined them", folded.getMetadata().getName(),
          token.namespace(), token.name(), folded.getSpec().getMergedInto());
      after.put(result.getMetadata().getName(), result);
    }
    return new Written(changes.counted(), written, latestUse(after.values()));
  }

  /** The latest use over every stored incident of the token, whatever order the records came in. */
  private static LatestUse latestUse(Iterable<HoneyTokenAlert> alerts) {
    LatestUse latest = null;
    for (HoneyTokenAlert a : alerts) {
      if (a.getMetadata().getResourceVersion() == null || a.getSpec() == null || a.getSpec().getMergedInto() != null) {
        continue; // a folded incident's uses are in the one it was folded into
      }
      AlertEvent last = latestEvent(a.getSpec());
      if (last != null && (latest == null || !AlertMerge.time(last).isBefore(AlertMerge.time(latest.event())))) {
        latest = new LatestUse(last, a.getMetadata().getName());
      }
    }
    return latest;
  }

  private static AlertEvent latestEvent(HoneyTokenAlertSpec spec) {
    return spec.getRecentEvents() == null ? null : spec.getRecentEvents().stream().filter(Objects::nonNull)
        .max(Comparator.comparing((AlertEvent e) -> AlertMerge.time(e))).orElse(null);
  }

  /** The incident's Event message: the token, how many calls, the address used most, the latest call. */
  static String incidentMessage(HoneyTokenAlertSpec spec) {
    TokenRef ref = spec.getToken();
    String token = ref == null ? "?" : (ref.getNamespace() == null ? "" : ref.getNamespace() + "/") + ref.getName();
    long calls = spec.getEventCount() == null ? 0 : spec.getEventCount();
    StringBuilder s = new StringBuilder("Key of token ").append(token).append(" used: ").append(calls)
        .append(calls == 1 ? " call" : " calls");
    List<SourceIPCalls> addresses = spec.getSourceIPCalls();
    if (addresses != null && !addresses.isEmpty() && addresses.get(0).getSourceIP() != null) {
      s.append(", most from ").append(addresses.get(0).getSourceIP()).append(" (")
          .append(addresses.get(0).getCalls()).append(')');
    }
    AlertEvent latest = latestEvent(spec);
    if (latest != null) {
      s.append("; latest: ").append(describe(latest));
    }
    return s.append('.').toString();
  }

  /** E.g. "s3:ListBuckets from 203.0.113.7 at 2026-11-30T12:37:50Z", or "… invoked by health.amazonaws.com …". */
  static String describe(AlertEvent e) {
    String by = e.getInvokedBy() != null ? " invoked by " + e.getInvokedBy() : " from " + e.getSourceIPAddress();
    return AlertMerge.eventName(e.getEventSource(), e.getEventName()) + by + " at " + e.getEventTime();
  }

  /**
   * Sets {@code lastTriggeredAt} and the Triggered condition to the token's latest use. A write
   * carrying an older use than the one the status already names changes nothing, so the status
   * names the latest use whatever order the records (and concurrent detectors) come in.
   */
  private void markTriggered(RegistryRecord token, LatestUse latest) {
    if (token.namespace() == null || token.name() == null || latest == null) {
      return;
    }
    Instant latestTime = AlertMerge.time(latest.event());
    String message = "Key used: " + describe(latest.event()) + "; see HoneyTokenAlert " + alertNamespace + "/"
        + latest.alertName() + ".";
    Consumer<HoneyToken> mark = current -> {
      HoneyTokenStatus status = current.getStatus();
      Instant previous = Timestamps.parse(status.getLastTriggeredAt());
      Optional<Condition> triggered = Conditions.find(status.getConditions(), Conditions.TRIGGERED)
          .filter(c -> "True".equals(c.getStatus()));
      boolean newest = previous == null || !latestTime.isBefore(previous);
      if (triggered.isPresent() && (!newest || (message.equals(triggered.get().getMessage())
          && latestTime.equals(previous)))) {
        return; // already names this use or a later one
      }
      if (newest) {
        status.setLastTriggeredAt(latestTime.toString());
      }
      status.setConditions(Conditions.set(status.getConditions(), Conditions.TRIGGERED, true, Alerts.KEY_USED,
          message, current.getMetadata().getGeneration(), clock.instant()));
    };
    HoneyToken current = client.resources(HoneyToken.class).inNamespace(token.namespace()).withName(token.name()).get();
    if (current == null || !Objects.equals(current.getMetadata().getUid(), token.uid())) {
      return; // deleted (the tombstone alerted) or re-created as another token
    }
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(current.getStatus(), HoneyTokenStatus::new);
    if (current.getStatus() == null) {
      current.setStatus(new HoneyTokenStatus());
    }
    mark.accept(current);
    if (!update.changes(current.getStatus())) {
      return;
    }
    try {
      // the mark is idempotent: applied again on the first write, and on the token as it is after a conflict
      StatusUpdate.write(client, current, HoneyTokenStatus::new, mark);
    } catch (KubernetesClientException e) {
      log.warn("could not mark HoneyToken {}/{} triggered: HTTP {}", token.namespace(), token.name(), e.getCode());
    }
  }

  /** The live HoneyToken's labels, for sinks that route on them; null when it is gone. */
  private Map<String, String> tokenLabels(RegistryRecord token) {
    if (token.namespace() == null || token.name() == null) {
      return null;
    }
    HoneyToken current = client.resources(HoneyToken.class).inNamespace(token.namespace()).withName(token.name()).get();
    if (current == null || !Objects.equals(current.getMetadata().getUid(), token.uid())) {
      return null;
    }
    return current.getMetadata().getLabels() == null ? Map.of() : new TreeMap<>(current.getMetadata().getLabels());
  }

  private static List<TokenMatch> distinctByEventId(List<TokenMatch> matches) {
    Map<String, TokenMatch> byId = new LinkedHashMap<>();
    for (TokenMatch m : matches) {
      byId.putIfAbsent(AlertMerge.eventId(m.record()), m);
    }
    return new ArrayList<>(byId.values());
  }

  private static void pause(java.time.Duration wait) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
