package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkStatus;
import io.spacecrab.kube.EventRecorder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Says whether an AlertSink can deliver: its Secret exists in its namespace and has the keys its
 * type needs. Re-checked every minute (the operator caches no Secrets but its own).
 */
@ControllerConfiguration(name = "alertsink")
public class AlertSinkReconciler implements Reconciler<AlertSink> {
  static final Duration RECHECK = Duration.ofMinutes(1);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;

  public AlertSinkReconciler(KubernetesClient client, EventRecorder events, Clock clock) {
    this.client = client;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public UpdateControl<AlertSink> reconcile(AlertSink sink, Context<AlertSink> context) {
    String reason;
    String message;
    if (sink.getSpec() == null || sink.getSpec().getType() == null || sink.getSpec().getSecretRef() == null
        || sink.getSpec().getSecretRef().getName() == null) {
      reason = "InvalidSpec";
      message = "spec.type and spec.secretRef.name are required.";
    } else {
      String secretName = sink.getSpec().getSecretRef().getName();
      Secret secret = client.secrets().inNamespace(sink.getMetadata().getNamespace()).withName(secretName).get();
      List<String> missing = secret == null ? List.of() : SinkCredentials.missing(sink.getSpec().getType(), secret);
      if (secret == null) {
        reason = "SecretMissing";
        message = "Secret " + secretName + " does not exist in namespace " + sink.getMetadata().getNamespace() + ".";
      } else if (!missing.isEmpty()) {
        reason = "SecretKeyMissing";
        message = "Secret " + secretName + " lacks " + String.join(", ", missing) + " (needed for type "
            + sink.getSpec().getType() + ").";
      } else if (sink.getSpec().getMatch() != null && sink.getSpec().getMatch().getTokenLabels() != null
          && !io.spacecrab.token.NamespaceSelector.problems(sink.getSpec().getMatch().getTokenLabels(),
              "spec.match.tokenLabels").isEmpty()) {
        reason = "InvalidSpec";
        message = String.join("; ", io.spacecrab.token.NamespaceSelector.problems(
            sink.getSpec().getMatch().getTokenLabels(), "spec.match.tokenLabels")) + ".";
      } else if (sink.getSpec().getType() == io.spacecrab.api.v1alpha1.SinkType.email
          && (sink.getSpec().getTo() == null || sink.getSpec().getTo().isEmpty())) {
        reason = "InvalidSpec";
        message = "spec.to names no recipient.";
      } else {
        reason = "Ready";
        message = "Secret " + secretName + " has what a " + sink.getSpec().getType() + " sink needs.";
      }
    }
    AlertSinkStatus status = sink.getStatus() == null ? new AlertSinkStatus() : sink.getStatus();
    var before = Conditions.find(status.getConditions(), Conditions.READY).orElse(null);
    boolean ready = reason.equals("Ready");
    status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, ready, reason, message,
        sink.getMetadata().getGeneration(), clock.instant()));
    status.setObservedGeneration(sink.getMetadata().getGeneration());
    sink.setStatus(status);
    boolean changed = before == null || !Objects.equals(before.getReason(), reason)
        || !Objects.equals(before.getMessage(), message)
        || !Objects.equals(before.getObservedGeneration(), sink.getMetadata().getGeneration());
    if (changed && !ready) {
      events.warning(sink, reason, message);
    }
    return (changed ? UpdateControl.patchStatus(sink) : UpdateControl.<AlertSink>noUpdate()).rescheduleAfter(RECHECK);
  }
}
