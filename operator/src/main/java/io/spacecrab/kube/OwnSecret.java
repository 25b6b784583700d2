package io.spacecrab.kube;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.function.Supplier;

/** A Secret of the operator's own state in its namespace: read, or created once (a concurrent creator wins). */
public final class OwnSecret {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OwnSecret.class);
  private OwnSecret() {}

  /** The Secret, or null when it does not exist. */
  public static Secret read(KubernetesClient client, String namespace, String name) {
    return client.secrets().inNamespace(namespace).withName(name).get();
  }

  /**
   * The Secret as it is, or created with {@code data} (base64 values) when missing; when another
   * replica creates it first (409), that one is read and returned.
   */
  public static Secret readOrCreate(KubernetesClient client, String namespace, String name,
      Supplier<Map<String, String>> data) {
    Secret existing = read(client, namespace, name);
    if (existing != null) {
      return existing;
    }
    Secret created = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withType("Opaque").withData(data.get()).build();
    try {
      Secret made = client.secrets().inNamespace(namespace).resource(created).create();
      log.info("created Secret {}/{}", namespace, name);
      return made;
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
      return read(client, namespace, name);
    }
  }
}
