package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.kube.OwnSecret;
import java.util.Base64;
import java.util.Map;

/** Loads the operator's seal key from a Secret in its own namespace, creating it once if missing. */
public final class SealKeyStore {
  static final String DATA_KEY = "key";

  private SealKeyStore() {}

  public static SecretSeal loadOrCreate(KubernetesClient client, String namespace, String name) {
    Secret secret = OwnSecret.readOrCreate(client, namespace, name,
        () -> Map.of(DATA_KEY, Base64.getEncoder().encodeToString(SecretSeal.newKey())));
    String encoded = secret.getData() == null ? null : secret.getData().get(DATA_KEY);
    if (encoded == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + name + " has no '" + DATA_KEY + "' entry");
    }
    return new SecretSeal(Base64.getDecoder().decode(encoded));
  }
}
