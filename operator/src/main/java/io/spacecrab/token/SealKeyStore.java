package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads the operator's seal key from a Secret in its own namespace, creating it once if missing. */
public final class SealKeyStore {
  private static final Logger log = LoggerFactory.getLogger(SealKeyStore.class);
  static final String DATA_KEY = "key";

  private SealKeyStore() {}

  public static SecretSeal loadOrCreate(KubernetesClient client, String namespace, String name) {
    Secret existing = client.secrets().inNamespace(namespace).withName(name).get();
    if (existing == null) {
      Secret created = new SecretBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
          .withType("Opaque")
          .addToData(DATA_KEY, Base64.getEncoder().encodeToString(SecretSeal.newKey()))
          .build();
      try {
        existing = client.secrets().inNamespace(namespace).resource(created).create();
        log.info("created seal key Secret {}/{}", namespace, name);
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.secrets().inNamespace(namespace).withName(name).get();
      }
    }
    String encoded = existing.getData() == null ? null : existing.getData().get(DATA_KEY);
    if (encoded == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + name + " has no '" + DATA_KEY + "' entry");
    }
    byte[] key = Base64.getDecoder().decode(encoded);
    return new SecretSeal(key);
  }
}
