package io.spacecrab.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.Timestamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
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
  private static final int SERIES_ATTEMPTS = 10;

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

  /**
   * Creates or updates the one Warning Event about {@code about} for {@code reason}: a series of
   * occurrences shown as one Event with their {@code count}, first and last time, and the message
   * of the latest. Written where {@link #warning} would write it (about the emitting Pod when
   * {@code about} is outside the own namespaces), named after {@code about} and the reason so every
   * replica writes the same Event. Idempotent; never lowers the count an Event already shows (a
   * slower writer loses); failing never fails the caller.
   */
  public void warningSeries(HasMetadata about, String reason, String message, long count, Instant first,
      Instant last) {
    Target target = target(about, message);
    String namespace = target.involved().getNamespace();
    String name = target.involved().getName() + "." + seriesKey(target.ref(), reason);
    int n = (int) Math.max(1, Math.min(Integer.MAX_VALUE, count));
    String lastTime = seconds(last != null ? last : Instant.now());
    String firstTime = seconds(first != null ? first : Instant.parse(lastTime));
    for (int attempt = 1; attempt <= SERIES_ATTEMPTS; attempt++) {
      try {
        Event existing = client.v1().events().inNamespace(namespace).withName(name).get();
        if (existing == null) {
          Event event = build(target, name, "Warning", reason, firstTime, lastTime, n);
          client.v1().events().inNamespace(namespace).resource(event).create();
        } else {
          if (existing.getCount() != null && existing.getCount() > n) {
            return;
          }
          existing.setInvolvedObject(target.involved());
          existing.setMessage(target.text());
          existing.setCount(n);
          existing.setFirstTimestamp(earlier(existing.getFirstTimestamp(), firstTime));
          existing.setLastTimestamp(later(existing.getLastTimestamp(), lastTime));
          client.v1().events().inNamespace(namespace).resource(existing).update();
        }
        log.debug("event series {} on {}/{}: count {}", reason, about.getMetadata().getNamespace(),
            about.getMetadata().getName(), n);
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409 || attempt == SERIES_ATTEMPTS) {
          log.warn("could not record event {} on {}/{}: HTTP {}", reason, about.getMetadata().getNamespace(),
              about.getMetadata().getName(), e.getCode());
          return;
        }
      }
    }
  }

  /** Who an Event is about (the object, or the Pod for an object elsewhere) and its message. */
  private record Target(ObjectReference ref, ObjectReference involved, boolean ownNamespace, String text) {}

  private Target target(HasMetadata about, String message) {
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
    return new Target(ref, involved, ownNamespace, text);
  }

  private Event build(Target target, String name, String type, String reason, String first, String last, int count) {
    return new EventBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(target.involved().getNamespace())
        .endMetadata()
        .withInvolvedObject(target.involved())
        .withRelated(target.ownNamespace() ? null : target.ref())
        .withType(type)
        .withReason(reason)
        .withMessage(target.text())
        .withFirstTimestamp(first)
        .withLastTimestamp(last)
        .withCount(count)
        .withNewSource().withComponent(component).endSource()
        .build();
  }

  /** 16 hex digits of SHA-256 over the object's identity and the reason: the same for every replica. */
  private static String seriesKey(ObjectReference ref, String reason) {
    String identity = ref.getKind() + "/" + ref.getNamespace() + "/" + ref.getName() + "/" + ref.getUid() + "/" + reason;
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String earlier(String current, String candidate) {
    Instant c = Timestamps.parse(current);
    return c == null || Instant.parse(candidate).isBefore(c) ? candidate : current;
  }

  private static String later(String current, String candidate) {
    Instant c = Timestamps.parse(current);
    return c == null || Instant.parse(candidate).isAfter(c) ? candidate : current;
  }

  private void emit(HasMetadata about, String type, String reason, String message) {
    String now = Instant.now().toString();
    Target target = target(about, message);
    String namespace = target.involved().getNamespace();
    String text = target.text();
    Event event = build(target, target.involved().getName() + "." + Long.toHexString(System.nanoTime())
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000)), type, reason, now, now, 1);
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
