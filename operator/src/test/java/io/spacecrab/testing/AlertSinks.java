package io.spacecrab.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.SecretKeyRef;
import io.spacecrab.api.v1alpha1.SinkType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** AlertSinks as tests make them: their Secret, and leave to send plain HTTP to the loopback receivers. */
public final class AlertSinks {
  /** The Standard Webhooks signing secret the tests' webhook sinks use. */
  public static final String SIGNING_SECRET = "whsec_" + java.util.Base64.getEncoder()
      .encodeToString("0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8));

  private AlertSinks() {
  }

  /** Closes each of these that is not null, in order (a test's receivers and worlds). */
  public static void closeAll(AutoCloseable... things) {
    for (AutoCloseable thing : things) {
      if (thing != null) {
        try {
          thing.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + thing, e);
        }
      }
    }
  }

  /**
   * Creates the Secret {@code secretName} holding {@code secret} and the AlertSink {@code name} of this
   * type that reads it ({@link #sink}).
   */
  public static AlertSink create(KubernetesClient client, String namespace, String name, String secretName,
      SinkType type, Map<String, String> secret, Consumer<AlertSinkSpec> edit) {
    secret(client, namespace, secretName, secret);
    return sink(client, namespace, name, type, secretName, edit);
  }

  /** Creates a Secret holding these values. */
  public static void secret(KubernetesClient client, String namespace, String name, Map<String, String> values) {
    var b = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata();
    values.forEach((k, v) -> b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    client.secrets().inNamespace(namespace).resource(b.build()).create();
  }

  /**
   * Creates the AlertSink {@code name} of this type reading the Secret {@code secretName}, allowed to
   * send over HTTP to 127.0.0.1, after {@code edit} changed its spec.
   */
  public static AlertSink sink(KubernetesClient client, String namespace, String name, SinkType type,
      String secretName, Consumer<AlertSinkSpec> edit) {
    AlertSink sink = new AlertSink();
    sink.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setType(type);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName(secretName);
    spec.setSecretRef(ref);
    spec.setAllowHttp(true);
    spec.setAllowDestinations(List.of("127.0.0.1"));
    edit.accept(spec);
    sink.setSpec(spec);
    return client.resource(sink).create();
  }

  /** A webhook sink {@code name} (Secret {@code name-secret}) to this URL, signing with this secret. */
  public static AlertSink webhook(KubernetesClient client, String namespace, String name, String url,
      String signingSecret) {
    return create(client, namespace, name, name + "-secret", SinkType.webhook,
        Map.of("url", url, "signingSecret", signingSecret), spec -> { });
  }
}
