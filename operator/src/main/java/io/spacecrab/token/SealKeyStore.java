package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.kube.OwnSecret;
import java.util.Base64;
import java.util.Map;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.aws.TokenRegistry;

/**
 * Loads the operator's seal key from a Secret in its own namespace, creating it on the first start.
 * A missing Secret while the registry holds keys sealed with it means it was lost, not that this is
 * the first start: a new seal key would make every sealed copy unreadable and every token's key
 * would be replaced. The operator refuses to start then, unless told to go ahead.
 */
public final class SealKeyStore {
  static final String DATA_KEY = "key";

  private SealKeyStore() {}

  /**
   * The seal key; created when missing only if no registry record holds a sealed copy, or if
   * {@code allowNew} (then every token's key will be replaced, each with a SealKeyChanged Event).
   * Throws {@link IllegalStateException} with what to do otherwise.
   */
  public static SecretSeal loadOrCreate(KubernetesClient client, String namespace, String name, TokenRegistry registry,
      boolean allowNew) {
    if (OwnSecret.read(client, namespace, name) == null && !allowNew) {
      long sealed = registry.scanAll().stream()
          .filter(r -> r.state() == RegistryState.Active && r.sealedSecret() != null).count();
      if (sealed > 0) {
        throw new IllegalStateException("the seal key Secret " + namespace + "/" + name + " is missing, but " + sealed
            + " registry records hold keys sealed with it: a new seal key would replace every one of those keys."
            + " Restore the Secret from a backup, or start once with --allow-new-seal-key=true to replace them.");
      }
    }
    Secret secret = OwnSecret.readOrCreate(client, namespace, name,
        () -> Map.of(DATA_KEY, Base64.getEncoder().encodeToString(SecretSeal.newKey())));
    String encoded = secret.getData() == null ? null : secret.getData().get(DATA_KEY);
    if (encoded == null) {
      throw new IllegalStateException("Secret " + namespace + "/" + name + " has no '" + DATA_KEY + "' entry");
    }
    return new SecretSeal(Base64.getDecoder().decode(encoded));
  }
}
