package io.spacecrab.testing;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.api.v1alpha1.SecretTarget;

/** HoneyToken objects for tests. */
public final class Tokens {
  private Tokens() {}

  /** A minimal valid token: env-format Secret, an owner. */
  public static HoneyToken token(String namespace, String name, String secretName) {
    HoneyToken token = new HoneyToken();
    token.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    HoneyTokenSpec spec = new HoneyTokenSpec();
    SecretTarget secret = new SecretTarget();
    secret.setName(secretName);
    spec.setSecret(secret);
    spec.setOwner("team-" + namespace);
    token.setSpec(spec);
    return token;
  }
}
