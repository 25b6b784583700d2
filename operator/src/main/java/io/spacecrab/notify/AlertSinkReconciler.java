package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkStatus;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.StatusUpdate;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Says whether an AlertSink can deliver ({@link SinkValidation}: its spec, its Secret and what the
 * Secret holds; then its knownScanners rules), before any alert needs it. Re-checked every minute (the operator caches no
 * Secrets but its own).
 */
@ControllerConfiguration(name = "alertsink")
public class AlertSinkReconciler implements Reconciler<AlertSink> {
  static final Duration RECHECK = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final SinkValidation validation;
  private final EventRecorder events;
  private final Clock clock;

  public AlertSinkReconciler(KubernetesClient client, SinkValidation validation, EventRecorder events, Clock clock) {
    this.client = client;
    this.validation = validation;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<AlertSink> reconcile(AlertSink sink, Context<AlertSink> context) {
    Secret secret = validation.spec(sink.getSpec()).isPresent() ? null
        : client.secrets().inNamespace(sink.getMetadata().getNamespace())
            .withName(sink.getSpec().getSecretRef().getName()).get();
    Optional<SinkValidation.Problem> problem =
        validation.readiness(sink.getSpec(), sink.getMetadata().getNamespace(), secret);
    String reason = problem.map(SinkValidation.Problem::reason).orElse("Ready");
    String message = problem.map(SinkValidation.Problem::message).orElseGet(() -> "Secret "
        + sink.getSpec().getSecretRef().getName() + " has what a " + sink.getSpec().getType() + " sink needs.");
    StatusUpdate<AlertSinkStatus> update = StatusUpdate.of(sink.getStatus(), AlertSinkStatus::new);
    AlertSinkStatus status = sink.getStatus() == null ? new AlertSinkStatus() : sink.getStatus();
    boolean ready = reason.equals("Ready");
    status.setReadyCondition(ready, reason, message, sink.getMetadata().getGeneration(), clock.instant());
    sink.setStatus(status);
    UpdateControl<AlertSink> control = update.control(sink);
    if (control.isPatchStatus() && !ready) {
      events.warning(sink, reason, message);
    }
    return control.rescheduleAfter(RECHECK);
  }
}
