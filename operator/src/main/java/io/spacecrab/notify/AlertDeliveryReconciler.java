package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.Delivery;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertStatus;
import io.spacecrab.backoff.Backoff;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.StatusUpdate;
import io.spacecrab.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox: delivers every HoneyTokenAlert to each AlertSink that selects it — the first
 * notification when the incident opens, rate-limited updates as it grows, and a resolve when a
 * human sets spec.resolved. Delivery state lives on the alert's status: each attempt is written
 * there (state Sending, its notification id) before the notification leaves, and its outcome
 * right after, so a change to the alert during a send never makes it leave twice, a restart never
 * repeats a delivered notification (bar the one in flight at the crash, sent again under the same
 * webhook-id / dedup_key) and never loses a pending one. Sinks come from the informer's cache.
 */
@ControllerConfiguration(name = "alertdelivery")
public class AlertDeliveryReconciler implements Reconciler<HoneyTokenAlert> {
  private static final Logger log = LoggerFactory.getLogger(AlertDeliveryReconciler.class);
  static final String DELIVERED = "Delivered";
  static final String RETRYING = "Retrying";
  static final String FAILED = "Failed";
  /** Recorded before a notification leaves; replaced by the outcome once it is known. */
  static final String SENDING = "Sending";
  /** Every call so far matched the sink's knownScanners: recorded, nothing sent. */
  static final String SUPPRESSED = "Suppressed";

  private final KubernetesClient client;
  private final SinkDispatcher dispatcher;
  private final SinkValidation validation;
  private final EventRecorder events;
  private final Backoff backoff;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final Random random = new Random();
  private final ExposureReader exposures;
  private InformerEventSource<AlertSink, HoneyTokenAlert> sinks;

  public AlertDeliveryReconciler(KubernetesClient client, SinkDispatcher dispatcher, SinkValidation validation,
      EventRecorder events, Backoff backoff, Clock clock, OperatorMetrics metrics) {
    this(client, dispatcher, validation, events, backoff, clock, metrics,
        new ExposureReader(client, clock, ExposureReader.DEADLINE));
  }

  public AlertDeliveryReconciler(KubernetesClient client, SinkDispatcher dispatcher, SinkValidation validation,
      EventRecorder events, Backoff backoff, Clock clock, OperatorMetrics metrics, ExposureReader exposures) {
    this.exposures = exposures;
    this.client = client;
    this.metrics = metrics;
    this.dispatcher = dispatcher;
    this.validation = validation;
    this.events = events;
    this.backoff = backoff;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, HoneyTokenAlert>> prepareEventSources(EventSourceContext<HoneyTokenAlert> context) {
    // a sink that appears, changes its spec or goes re-examines every alert in its namespace; a write to its
    // status alone (its Ready condition) does not
    var config = InformerEventSourceConfiguration.from(AlertSink.class, HoneyTokenAlert.class)
        .withSecondaryToPrimaryMapper(sink -> context.getPrimaryCache()
            .list(sink.getMetadata().getNamespace()).map(ResourceID::fromResource).collect(Collectors.toSet()))
        .withOnUpdateFilter((now, before) -> !Objects.equals(now.getMetadata().getGeneration(),
            before.getMetadata().getGeneration()))
        .withNamespacesInheritedFromController()
        .build();
    sinks = new InformerEventSource<>(config, context) {
      @Override
      public void onUpdate(AlertSink before, AlertSink now) {
        super.onUpdate(before, now);
        if (!Objects.equals(before.getMetadata().getGeneration(), now.getMetadata().getGeneration())) {
          dispatcher.changed(now); // a changed sink gets a new HTTP client
        }
      }

      @Override
      public void onDelete(AlertSink sink, boolean finalStateUnknown) {
        super.onDelete(sink, finalStateUnknown);
        dispatcher.forget(sink);
      }
    };
    return List.of(sinks);
  }

  @Override
  public UpdateControl<HoneyTokenAlert> reconcile(HoneyTokenAlert alert, Context<HoneyTokenAlert> context) {
    if (alert.getSpec() == null || alert.getSpec().getToken() == null) {
      return UpdateControl.noUpdate();
    }
    // from the informer's cache: every sink of the namespace, whenever it was made
    List<AlertSink> sinks = this.sinks.list(alert.getMetadata().getNamespace())
        .sorted(Comparator.comparing(s -> s.getMetadata().getName())).toList();
    Instant wake = null;
    HoneyTokenAlert current = alert;
    boolean live = false;
    if (exposureDue(alert)) {
      // read once, before the first notification; on the live alert, since the cache may lag our own write
      current = read(alert);
      if (current == null) {
        return UpdateControl.noUpdate();
      }
      live = true;
      if (exposureDue(current)) {
        current = recordExposure(current);
        if (current == null) {
          return UpdateControl.noUpdate();
        }
      }
    }
    for (AlertSink sink : sinks) {
      if (sink.getSpec() == null || sink.getSpec().getType() == null || !selects(sink, current)) {
        continue;
      }
      KnownScanners scanners = KnownScanners.of(sink.getSpec());
      for (int round = 0; round < 3; round++) {
        Attempt attempt = due(sink, scanners, current);
        if (attempt != null && attempt.dueBy(clock.instant()) && !live) {
          // the cache may not hold this reconciler's latest write yet: decide a send on the alert as the server has it
          current = read(alert);
          if (current == null) {
            return UpdateControl.noUpdate();
          }
          live = true;
          attempt = due(sink, scanners, current);
        }
        if (attempt == null || !attempt.dueBy(clock.instant())) {
          break;
        }
        if (attempt.kind() == null) {
          current = suppress(current, sink, scanners.evaluate(current.getSpec()));
          if (current == null) {
            return UpdateControl.noUpdate();
          }
          break;
        }
        Sent sent = deliver(current, sink, scanners, attempt.kind());
        if (sent.alert() == null) {
          return UpdateControl.noUpdate(); // deleted meanwhile
        }
        current = sent.alert();
        if (!sent.changedMeanwhile()) {
          break;
        }
        live = false; // written by someone else between our read and our claim: read again, decide again
      }
      Attempt next = due(sink, scanners, current);
      if (next != null) {
        wake = earliest(wake, next.notBefore() == null ? clock.instant() : next.notBefore());
      }
    }
    setDeliveredCondition(current, live, sinks);
    UpdateControl<HoneyTokenAlert> control = UpdateControl.noUpdate();
    if (wake != null) {
      Duration in = Duration.between(clock.instant(), wake);
      control.rescheduleAfter(in.isNegative() ? Duration.ZERO : in.plusMillis(50));
    }
    return control;
  }

  /**
   * True when the alert has no exposure yet and nothing was sent for it: a new incident, open and
   * not folded into another. An alert handled before exposure was read gets none.
   */
  private static boolean exposureDue(HoneyTokenAlert alert) {
    HoneyTokenAlertSpec spec = alert.getSpec();
    HoneyTokenAlertStatus status = alert.getStatus();
    return spec.getMergedInto() == null && !Boolean.TRUE.equals(spec.getResolved())
        && (status == null || (status.getExposure() == null && status.getDeliveries().isEmpty()));
  }

  /**
   * Reads where the token's key is exposed (bounded by the reader's deadline; a failure gives an
   * Unknown exposure, logged and announced by a Warning Event on the alert) and writes it on the
   * alert's status. Returns the alert as written, null when it is gone.
   */
  private HoneyTokenAlert recordExposure(HoneyTokenAlert alert) {
    io.spacecrab.api.v1alpha1.AlertExposure exposure = exposures.read(alert.getSpec().getToken());
    metrics.exposureRead(io.spacecrab.api.v1alpha1.AlertExposure.KNOWN.equals(exposure.getState())
        ? exposure.getState() : exposure.getReason());
    if (io.spacecrab.api.v1alpha1.AlertExposure.UNKNOWN.equals(exposure.getState())) {
      String message = "Where the key was exposed is unknown (" + exposure.getReason() + "): " + exposure.getMessage()
          + " The alert is delivered without it.";
      log.warn("alert {}: {}", alert.getMetadata().getName(), message);
      events.warning(alert, "ExposureUnknown", message);
    } else {
      log.info("alert {}: {} workload(s) and {} reader(s) could read Secret {}/{}", alert.getMetadata().getName(),
          exposure.getWorkloads().size() + Optional.ofNullable(exposure.getWorkloadsTruncated()).orElse(0),
          exposure.getReaders().size() + Optional.ofNullable(exposure.getReadersTruncated()).orElse(0),
          exposure.getSecretNamespace(), exposure.getSecretName());
    }
    try {
      return writeStatus(alert, a -> a.getStatus().setExposure(exposure));
    } catch (KubernetesClientException e) {
      // never hold a notification back for it: the alert goes out without it
      log.warn("could not record where the key of alert {} was exposed (HTTP {}); delivering without it",
          alert.getMetadata().getName(), e.getCode());
      if (alert.getStatus() != null) {
        alert.getStatus().setExposure(null);
      }
      return alert;
    }
  }

  /**
   * What this sink should get now or later; null when it is up to date (or gave up on it). An
   * attempt without a kind records that the incident is suppressed for the sink: every call so far
   * is a known scanner's.
   */
  private Attempt due(AlertSink sink, KnownScanners scanners, HoneyTokenAlert alert) {
    HoneyTokenAlertSpec spec = alert.getSpec();
    Delivery d = delivery(alert, sink.getMetadata().getName());
    if (SENDING.equals(d.getState())) {
      // an attempt began and its end was never recorded (a crash, a lost write): send it again, under its id
      for (NotificationKind k : NotificationKind.values()) {
        if (k.wireName().equals(d.getAttemptedKind())) {
          return new Attempt(k, null);
        }
      }
    }
    if (spec.getMergedInto() != null && !Boolean.TRUE.equals(spec.getResolved())) {
      return null; // folded into another incident, whose notifications carry its calls from now on
    }
    long count = spec.getEventCount() == null ? 0 : spec.getEventCount();
    int delivered = d.getNotifications() == null ? 0 : d.getNotifications();
    boolean sendUpdates = !Boolean.FALSE.equals(sink.getSpec().getSendUpdates());
    KnownScanners.Suppression suppression = scanners.evaluate(spec);
    NotificationKind kind;
    Instant notBefore = null;
    if (Boolean.TRUE.equals(spec.getResolved())) {
      if (delivered == 0 || "resolved".equals(d.getDeliveredKind())
          || (!sendUpdates && !dispatcher.sink(sink.getSpec().getType()).alwaysSendsResolve())) {
        return null;
      }
      kind = NotificationKind.RESOLVED;
    } else if (delivered == 0 && suppression.all()) {
      boolean recorded = SUPPRESSED.equals(d.getState())
          && Objects.equals(d.getSuppressedCalls(), suppression.calls())
          && Objects.equals(d.getSuppressedBy(), suppression.rules());
      return recorded ? null : new Attempt(null, null);
    } else if (delivered == 0) {
      kind = NotificationKind.OPENED;
    } else if (sendUpdates && count - suppression.calls() > Optional.ofNullable(d.getDeliveredEventCount()).orElse(0L)
        - Optional.ofNullable(d.getSuppressedCalls()).orElse(0L)) {
      // the calls that page grew: known scanners' calls alone do not make an update
      kind = NotificationKind.UPDATED;
      notBefore = parse(d.getDeliveredTime()).plus(duration(sink.getSpec().getMinUpdateInterval(),
          Duration.ofMinutes(15)));
    } else {
      return null;
    }
    if (FAILED.equals(d.getState()) && kind.wireName().equals(d.getAttemptedKind())
        && Objects.equals(d.getAttemptedEventCount(), count)) {
      return null; // gave up on exactly this notification; a change to the incident tries again
    }
    if (RETRYING.equals(d.getState()) && d.getNextAttemptTime() != null) {
      Instant next = parse(d.getNextAttemptTime());
      notBefore = notBefore == null || next.isAfter(notBefore) ? next : notBefore;
    }
    return new Attempt(kind, notBefore);
  }

  /** A notification of {@code kind} due at {@code notBefore} (null: now); no kind: record the suppression. */
  private record Attempt(NotificationKind kind, Instant notBefore) {
    boolean dueBy(Instant now) {
      return notBefore == null || !notBefore.isAfter(now);
    }
  }

  /**
   * What became of one attempt: the alert as written after it, null when the alert is gone; or,
   * with {@code changedMeanwhile}, nothing sent because the alert changed between the read and the
   * claim.
   */
  private record Sent(HoneyTokenAlert alert, boolean changedMeanwhile) {}

  /**
   * One attempt, outbox-style: the attempt (state Sending, its notification id) is written to the
   * alert with the alert's resourceVersion before anything is sent, so that a concurrent change
   * makes this reconcile decide again instead of sending, and a crash after the send leaves a
   * record from which the same notification, under the same id, is sent again. The outcome is then
   * written onto the alert as it is by then.
   */
  private Sent deliver(HoneyTokenAlert alert, AlertSink sink, KnownScanners scanners, NotificationKind kind) {
    String sinkName = sink.getMetadata().getName();
    Delivery d = delivery(alert, sinkName);
    Instant now = clock.instant();
    boolean continuing = (RETRYING.equals(d.getState()) || SENDING.equals(d.getState()))
        && kind.wireName().equals(d.getAttemptedKind());
    if (!continuing) {
      d.setAttempts(0);
      d.setFirstAttemptTime(now.toString());
      d.setAttemptedKind(kind.wireName());
    }
    d.setNotificationId(notificationId(alert, sinkName, kind, notifications(d) + 1));
    d.setAttemptedEventCount(eventCount(alert));
    d.setAttempts((d.getAttempts() == null ? 0 : d.getAttempts()) + 1);
    d.setNextAttemptTime(null);
    HoneyTokenAlert sending = alert;
    DeliveryResult result;
    Secret secret = secret(sink);
    Optional<SinkValidation.Problem> unusable =
        validation.check(sink.getSpec(), sink.getMetadata().getNamespace(), secret);
    if (unusable.isPresent()) {
      // nothing is sent to a sink that cannot work; the alert waits for it to be fixed (or for giveUpAfter)
      result = new DeliveryResult(DeliveryResult.Outcome.RETRY, 0, Optional.empty(), "AlertSink " + sinkName
          + " cannot be used (" + unusable.get().reason() + "): " + unusable.get().message());
    } else {
      d.setState(SENDING);
      try {
        sending = statusOf(alert).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 409) {
          return new Sent(alert, true);
        }
        if (e.getCode() == 404) {
          return new Sent(null, false);
        }
        throw e;
      }
      d = delivery(sending, sinkName);
      result = send(sending, sink, scanners, secret, kind, d.getNotificationId());
    }
    // the backoff and Retry-After count from the answer, not from the start of an attempt that may have
    // taken the whole deadline
    Instant ended = clock.instant();
    d.setLastHttpStatus(result.httpStatus());
    d.setLastError(result.delivered() ? null : result.error());
    if (result.delivered()) {
      d.setState(DELIVERED);
      d.setDeliveredTime(now.toString());
      d.setDeliveredEventCount(d.getAttemptedEventCount());
      d.setDeliveredKind(kind.wireName());
      KnownScanners.Suppression suppression = scanners.evaluate(sending.getSpec());
      d.setSuppressedCalls(suppression.calls() == 0 ? null : suppression.calls());
      d.setSuppressedBy(suppression.rules().isEmpty() ? null : suppression.rules());
      d.setNotifications(notifications(d) + 1);
      d.setNextAttemptTime(null);
      d.setAttempts(0);
      metrics.delivery(sink.getSpec().getType().name(), OperatorMetrics.DeliveryOutcome.delivered);
      metrics.delivered(sink.getSpec().getType().name(), ended);
      log.info("delivered {} notification of alert {} to sink {}", kind.wireName(), alert.getMetadata().getName(),
          sinkName);
    } else {
      Optional<Instant> next = result.outcome() == DeliveryResult.Outcome.RETRY
          ? new RetrySchedule(backoff, duration(sink.getSpec().getGiveUpAfter(), Duration.ofHours(24)), random)
              .nextAttempt(d.getAttempts(), parse(d.getFirstAttemptTime()), ended, result.retryAfter())
          : Optional.empty();
      if (next.isPresent()) {
        d.setState(RETRYING);
        d.setNextAttemptTime(next.get().toString());
        metrics.delivery(sink.getSpec().getType().name(), OperatorMetrics.DeliveryOutcome.retrying);
        log.info("delivery of alert {} to sink {} failed ({}); retrying at {}", alert.getMetadata().getName(), sinkName,
            result.error(), next.get());
      } else {
        d.setState(FAILED);
        d.setNextAttemptTime(null);
        String message = "Delivery of the " + kind.wireName() + " notification to AlertSink " + sinkName
            + " failed after " + d.getAttempts() + " attempt(s): " + result.error() + ".";
        events.warning(sending, "DeliveryFailed", message);
        metrics.delivery(sink.getSpec().getType().name(), OperatorMetrics.DeliveryOutcome.failed);
        log.warn("{}", message);
      }
    }
    Delivery outcome = d;
    return new Sent(writeStatus(sending, a -> replaceDelivery(a, outcome)), false);
  }

  private Secret secret(AlertSink sink) {
    String secretName = sink.getSpec().getSecretRef() == null ? null : sink.getSpec().getSecretRef().getName();
    return secretName == null || secretName.isBlank() ? null
        : client.secrets().inNamespace(sink.getMetadata().getNamespace()).withName(secretName).get();
  }

  /**
   * Records on the alert that the sink was told nothing because every call so far is a known
   * scanner's (which rules, how many calls); returns the alert as written, null when it is gone.
   */
  private HoneyTokenAlert suppress(HoneyTokenAlert alert, AlertSink sink, KnownScanners.Suppression suppression) {
    String sinkName = sink.getMetadata().getName();
    Delivery d = delivery(alert, sinkName);
    d.setState(SUPPRESSED);
    d.setSuppressedCalls(suppression.calls());
    d.setSuppressedBy(suppression.rules());
    d.setAttempts(0);
    d.setNextAttemptTime(null);
    d.setLastError(null);
    HoneyTokenAlert written = writeStatus(alert, a -> replaceDelivery(a, d));
    metrics.delivery(sink.getSpec().getType().name(), OperatorMetrics.DeliveryOutcome.suppressed);
    log.info("alert {} not sent to sink {}: all {} call(s) are known scanners' ({})", alert.getMetadata().getName(),
        sinkName, suppression.calls(), String.join(", ", suppression.rules()));
    return written;
  }

  private DeliveryResult send(HoneyTokenAlert alert, AlertSink sink, KnownScanners scanners, Secret secret,
      NotificationKind kind, String notificationId) {
    try {
      return dispatcher.send(sink, SinkCredentials.from(secret), view(alert, scanners), kind, notificationId);
    } catch (RuntimeException e) {
      return new DeliveryResult(DeliveryResult.Outcome.RETRY, 0, Optional.empty(),
          "an unexpected error while sending (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * The id of the {@code number}-th notification of this alert to this sink: the same on every
   * attempt of it (a retry, a repeat after a crash), whatever the incident's count by then, so a
   * receiver drops a repeat (webhook-id). Opaque, 36 characters.
   */
  static String notificationId(HoneyTokenAlert alert, String sink, NotificationKind kind, int number) {
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest((alert.getMetadata().getUid() + "/"
          + sink + "/" + kind.wireName() + "/" + number).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "msg_" + java.util.HexFormat.of().formatHex(digest, 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  private HoneyTokenAlert read(HoneyTokenAlert alert) {
    return client.resources(HoneyTokenAlert.class).inNamespace(alert.getMetadata().getNamespace())
        .withName(alert.getMetadata().getName()).get();
  }

  private io.fabric8.kubernetes.client.dsl.Resource<HoneyTokenAlert> statusOf(HoneyTokenAlert alert) {
    return client.resources(HoneyTokenAlert.class).inNamespace(alert.getMetadata().getNamespace()).resource(alert);
  }

  /**
   * Writes the status {@code change} makes ({@link StatusUpdate#write}: when the alert changed
   * meanwhile, 409: the detector wrote it, applies the change to the alert as it is now and writes
   * again). Only this reconciler writes the status, so the change (one sink's entry, or the Delivered
   * condition) is all that differs. Returns the alert as written, null when it is gone.
   */
  private HoneyTokenAlert writeStatus(HoneyTokenAlert alert, Consumer<HoneyTokenAlert> change) {
    return StatusUpdate.write(client, alert, HoneyTokenAlertStatus::new, change);
  }

  private static void replaceDelivery(HoneyTokenAlert alert, Delivery delivery) {
    if (alert.getStatus() == null) {
      alert.setStatus(new HoneyTokenAlertStatus());
    }
    List<Delivery> deliveries = alert.getStatus().getDeliveries();
    deliveries.removeIf(d -> delivery.getSink().equals(d.getSink()));
    deliveries.add(delivery);
    deliveries.sort(Comparator.comparing(Delivery::getSink));
  }

  private static int notifications(Delivery d) {
    return d.getNotifications() == null ? 0 : d.getNotifications();
  }

  private static long eventCount(HoneyTokenAlert alert) {
    return alert.getSpec().getEventCount() == null ? 0 : alert.getSpec().getEventCount();
  }

  /**
   * Sets the Delivered condition when the deliveries call for another one. {@code live}: the alert
   * is as the server has it (read or written in this reconcile); otherwise it is read first, so that
   * a stale cached copy never writes an outdated condition.
   */
  private void setDeliveredCondition(HoneyTokenAlert alert, boolean live, List<AlertSink> sinks) {
    if (deliveredCondition(alert, sinks) == null) {
      return;
    }
    try {
      HoneyTokenAlert base = live ? alert : read(alert);
      if (base != null && deliveredCondition(base, sinks) != null) {
        writeStatus(base, a -> {
          List<io.fabric8.kubernetes.api.model.Condition> conditions = deliveredCondition(a, sinks);
          if (conditions != null) {
            a.getStatus().setConditions(conditions);
          }
        });
      }
    } catch (RuntimeException e) {
      log.debug("could not write the Delivered condition of alert {}: {}", alert.getMetadata().getName(), e.toString());
    }
  }

  /** The conditions with the Delivered condition the deliveries call for; null when the alert has it already. */
  private List<io.fabric8.kubernetes.api.model.Condition> deliveredCondition(HoneyTokenAlert alert,
      List<AlertSink> sinks) {
    HoneyTokenAlertStatus status = alert.getStatus();
    if (status == null || status.getDeliveries().isEmpty()) {
      return null;
    }
    Set<String> present = sinks.stream().map(s -> s.getMetadata().getName()).collect(Collectors.toSet());
    List<Delivery> relevant = status.getDeliveries().stream().filter(d -> present.contains(d.getSink())).toList();
    boolean failed = relevant.stream().anyMatch(d -> FAILED.equals(d.getState()));
    boolean all = relevant.stream().allMatch(d -> DELIVERED.equals(d.getState()) || SUPPRESSED.equals(d.getState()));
    boolean suppressed = relevant.stream().allMatch(d -> SUPPRESSED.equals(d.getState()));
    String reason = failed ? "DeliveryFailed" : all && suppressed ? "Suppressed" : all ? "Delivered" : "Pending";
    String message = failed ? "A sink gave up; see status.deliveries."
        : all && suppressed ? "Every matching sink suppressed it: all calls so far are known scanners'."
        : all ? "Every matching sink has it (or suppressed it: only known scanners' calls)."
        : "Deliveries are pending or retrying.";
    var before = Conditions.find(status.getConditions(), "Delivered").orElse(null);
    if (before != null && reason.equals(before.getReason())) {
      return null;
    }
    return Conditions.set(status.getConditions(), "Delivered", all && !failed, reason, message,
        alert.getMetadata().getGeneration(), clock.instant());
  }

  static boolean selects(AlertSink sink, HoneyTokenAlert alert) {
    var match = sink.getSpec().getMatch();
    if (match == null) {
      return !io.spacecrab.api.SpaceCrab.PIPELINE_DOWN.equals(alert.getSpec().getReason());
    }
    HoneyTokenAlertSpec spec = alert.getSpec();
    if (io.spacecrab.api.SpaceCrab.PIPELINE_DOWN.equals(spec.getReason())) {
      return Boolean.TRUE.equals(match.getPipelineNotices()); // pipeline notices only where asked for
    }
    boolean namespaceOk = match.getNamespaces() == null || match.getNamespaces().isEmpty()
        || match.getNamespaces().contains(spec.getToken().getNamespace());
    boolean ownerOk = match.getOwners() == null || match.getOwners().isEmpty()
        || match.getOwners().contains(spec.getOwner());
    boolean labelsOk = true;
    if (match.getTokenLabels() != null) {
      try {
        labelsOk = io.spacecrab.kube.NamespaceSelector.of(match.getTokenLabels()).matches(spec.getTokenLabels());
      } catch (IllegalArgumentException e) {
        labelsOk = false; // the AlertSink reports InvalidSpec
      }
    }
    return namespaceOk && ownerOk && labelsOk;
  }

  private static Delivery delivery(HoneyTokenAlert alert, String sink) {
    if (alert.getStatus() == null) {
      alert.setStatus(new HoneyTokenAlertStatus());
    }
    for (Delivery d : alert.getStatus().getDeliveries()) {
      if (sink.equals(d.getSink())) {
        return d;
      }
    }
    Delivery d = new Delivery();
    d.setSink(sink);
    d.setState("Pending");
    d.setNotifications(0);
    alert.getStatus().getDeliveries().add(d);
    return d;
  }

  static AlertView view(HoneyTokenAlert alert) {
    return view(alert, KnownScanners.NONE);
  }

  /** The alert as a sink with these knownScanners rules is told it. */
  static AlertView view(HoneyTokenAlert alert, KnownScanners scanners) {
    HoneyTokenAlertSpec s = alert.getSpec();
    List<AlertView.RecentEvent> recent = s.getRecentEvents() == null ? List.of() : s.getRecentEvents().stream()
        .map(e -> new AlertView.RecentEvent(e.getEventID(), parse(e.getEventTime()), e.getEventSource(),
            e.getEventName(), e.getSourceIPAddress(), e.getUserAgent(), e.getErrorCode(), e.getInvokedBy(),
            e.getReadOnly(), e.getEventType(), e.getSession() == null ? null : new AlertView.Session(
                e.getSession().getType(), e.getSession().getMfaAuthenticated(), parse(e.getSession().getCreatedAt())),
            scanners.match(e.getSourceIPAddress(), e.getUserAgent()).orElse(null)))
        .toList();
    Instant first = Optional.ofNullable(parse(s.getFirstSeen())).orElse(Instant.EPOCH);
    Instant last = Optional.ofNullable(parse(s.getLastSeen())).orElse(first);
    return new AlertView(alert.getMetadata().getName(), alert.getMetadata().getUid(), s.getCluster(),
        s.getToken().getNamespace(), s.getToken().getName() == null ? "unknown" : s.getToken().getName(),
        s.getOwner(), s.getLocation(), s.getNotes(), !"Active".equals(s.getTokenState()) && s.getTokenState() != null,
        first, last, s.getEventCount() == null ? 0 : s.getEventCount(), s.getSourceIPs(), s.getUserAgents(),
        s.getEventNames(), s.getRegions(), recent, sourceIpCalls(s), s.getInvokedBy(), cappedLists(s),
        scanners.evaluate(s).callers(), s.getReason(), iamUse(s),
        exposure(alert.getStatus() == null ? null : alert.getStatus().getExposure()));
  }

  private static AlertView.Exposure exposure(io.spacecrab.api.v1alpha1.AlertExposure e) {
    if (e == null) {
      return null;
    }
    return new AlertView.Exposure(e.getState(), e.getReason(), e.getMessage(), e.getSecretNamespace(),
        e.getSecretName(), parse(e.getObservedAt()),
        e.getWorkloads() == null ? List.of() : e.getWorkloads().stream().filter(Objects::nonNull)
            .map(w -> new AlertView.Workload(w.getKind(), w.getName(), w.getVia(), w.getServiceAccount())).toList(),
        Optional.ofNullable(e.getWorkloadsTruncated()).orElse(0),
        e.getReaders() == null ? List.of() : e.getReaders().stream().filter(Objects::nonNull)
            .map(r -> new AlertView.Reader(r.getKind(), r.getName(), r.getNamespace(), r.getBinding(), r.getRole(),
                r.getVerbs())).toList(),
        Optional.ofNullable(e.getReadersTruncated()).orElse(0));
  }

  private static AlertView.IamUse iamUse(HoneyTokenAlertSpec s) {
    var use = s.getIamLastUse();
    Instant at = use == null ? null : parse(use.getLastUsedDate());
    return at == null ? null : new AlertView.IamUse(at, use.getServiceName(), use.getRegion());
  }

  private static Map<String, Long> sourceIpCalls(HoneyTokenAlertSpec s) {
    Map<String, Long> calls = new java.util.LinkedHashMap<>();
    if (s.getSourceIPCalls() != null) {
      s.getSourceIPCalls().stream().filter(c -> c != null && c.getSourceIP() != null && c.getCalls() != null)
          .forEach(c -> calls.put(c.getSourceIP(), c.getCalls()));
    }
    return calls;
  }

  private static java.util.Set<AlertView.Listed> cappedLists(HoneyTokenAlertSpec s) {
    java.util.Set<AlertView.Listed> capped = java.util.EnumSet.noneOf(AlertView.Listed.class);
    for (String name : s.getCappedLists() == null ? List.<String>of() : s.getCappedLists()) {
      switch (name == null ? "" : name) {
        case "sourceIPs" -> capped.add(AlertView.Listed.SOURCE_IPS);
        case "invokedBy" -> capped.add(AlertView.Listed.INVOKED_BY);
        case "userAgents" -> capped.add(AlertView.Listed.USER_AGENTS);
        case "eventNames" -> capped.add(AlertView.Listed.EVENT_NAMES);
        case "regions" -> capped.add(AlertView.Listed.REGIONS);
        default -> { }
      }
    }
    return capped;
  }

  private static Instant earliest(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Duration duration(String text, Duration fallback) {
    if (text == null) {
      return fallback;
    }
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      return fallback;
    }
  }

  private static Instant parse(String text) {
    return io.spacecrab.api.Timestamps.parse(text);
  }
}
