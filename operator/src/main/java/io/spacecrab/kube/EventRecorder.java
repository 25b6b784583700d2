package io.spacecrab.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Emits core/v1 Events about our objects, only ever into the operator's own namespaces: an Event
 * is readable by anyone with the built-in {@code view} role in its namespace, so an Event about an
 * object elsewhere (a HoneyToken in a tenant namespace, a cluster-scoped ClusterHoneyToken) is
 * written in {@code self}'s namespace, about {@code self} (the operator's Pod), with the object as
 * {@code related} and named in the message. Failing to emit an Event never fails a reconcile.
 */
public class EventRecorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;

  private final KubernetesClient client;
  private final String component;
  private final Set<String> ownNamespaces;
  private final ObjectReference self;

  /**
   * @param ownNamespaces namespaces where Events may be written about the objects in them
   * @param self the emitting Pod (namespace and name), which Events about objects elsewhere are about
   */
  public EventRecorder(KubernetesClient client, String component, Set<String> ownNamespaces, ObjectReference self) {
    this.client = client;
    this.component = component;
    this.ownNamespaces = Set.copyOf(ownNamespaces);
    this.self = self;
  }

  /** A reference to the Pod this process runs as: POD_NAME (else the host name) in {@code namespace}. */
  public static ObjectReference pod(String namespace) {
    String name = System.getenv().getOrDefault("POD_NAME", System.getenv().getOrDefault("HOSTNAME", "localhost"));
    return new ObjectReferenceBuilder().withApiVersion("v1").withKind("Pod").withNamespace(namespace)
        .withName(name.toLowerCase(java.util.Locale.ROOT)).build();
  }

  public void normal(HasMetadata about, String reason, String message) {
    emit(about, "Normal", reason, message);
  }

  public void warning(HasMetadata about, String reason, String message) {
    emit(about, "Warning", reason, message);
  }

  private void emit(HasMetadata about, String type, String reason, String message) {
    String now = Instant.now().toString();
    ObjectReference ref = new ObjectReferenceBuilder()
        .withApiVersion(about.getApiVersion()).withKind(about.getKind())
        .withName(about.getMetadata().getName()).withNamespace(about.getMetadata().getNamespace())
        .withUid(about.getMetadata().getUid()).withResourceVersion(about.getMetadata().getResourceVersion())
        .build();
    boolean ownNamespace = ref.getNamespace() != null && ownNamespaces.contains(ref.getNamespace());
    ObjectReference involved = ownNamespace ? ref : self;
    String full = ownNamespace ? message
        : about.getKind() + " " + (ref.getNamespace() == null ? "" : ref.getNamespace() + "/") + ref.getName()
            + ": " + message;
    String text = full.length() > MAX_MESSAGE ? full.substring(0, MAX_MESSAGE) : full;
    String namespace = involved.getNamespace();
    var event = new EventBuilder()
        .withNewMetadata()
        .withName(involved.getName() + "." + Long.toHexString(System.nanoTime())
            + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)))
        .withNamespace(namespace)
        .endMetadata()
        .withInvolvedObject(involved)
        .withRelated(ownNamespace ? null : ref)
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
