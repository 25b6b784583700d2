package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;

/** Where a token's Secret is: {@code spec.secret.namespace} (default: the token's own) and {@code spec.secret.name}. */
record SecretLocation(String namespace, String name) {

  /** The Secret the spec asks for; null when the spec names none. */
  static SecretLocation of(HoneyToken token) {
    var spec = token.getSpec();
    if (spec == null || spec.getSecret() == null || spec.getSecret().getName() == null
        || spec.getSecret().getName().isBlank()) {
      return null;
    }
    String namespace = spec.getSecret().getNamespace();
    return new SecretLocation(namespace == null || namespace.isBlank() ? token.getMetadata().getNamespace() : namespace,
        spec.getSecret().getName());
  }

  /** The Secret the status says the token wrote last; null when none. */
  static SecretLocation written(HoneyToken token) {
    HoneyTokenStatus status = token.getStatus();
    if (status == null || status.getSecretName() == null) {
      return null;
    }
    return new SecretLocation(status.getSecretNamespace() != null ? status.getSecretNamespace()
        : token.getMetadata().getNamespace(), status.getSecretName());
  }

  static SecretLocation of(Secret secret) {
    return new SecretLocation(secret.getMetadata().getNamespace(), secret.getMetadata().getName());
  }

  /** The index key of this location: namespace/name. */
  String key() {
    return namespace + "/" + name;
  }

  @Override
  public String toString() {
    return key();
  }
}
