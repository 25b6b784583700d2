package io.spacecrab.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Emits core/v1 Events about our objects. Failing to emit an Event never fails a reconcile. */
public class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final String component;

  public EventRecorder(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  public void normal(HasMetadata about, String reason, String message) {
    emit(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    emit(about, "Warning", reason, message);
  }

  private void emit(HasMetadata about, String type, String reason, String message) {
    String now = Instant.now().toString();
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    // Events about cluster-scoped objects live in "default", as kubectl describe expects
    String namespace = about.getMetadata().getNamespace() == null ? "default" : about.getMetadata().getNamespace();
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(about.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
        .withNamespace(namespace)
        .endMetadata()
        .withInvolvedObject(new ObjectReferenceBuilder()
            .withApiVersion(about.getApiVersion()).withKind(about.getKind())
            .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
            .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
            .build())
        .withType(type)
        .withReason(reason)
        .withMessage(text)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withCount(1)
        .withNewSource().withComponent(component).endSource()
        .build();
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
      log.debug("event {} {} on {}/{}: {}", type, reason, about.getMetadata().getNamespace(),
          about.getMetadata().getName(), text);
    } catch (KubernetesClientException e) {
      log.warn("could not record event {} on {}/{}: HTTP {}", reason, about.getMetadata().getNamespace(),
          about.getMetadata().getName(), e.getCode());
    }
  }
}
