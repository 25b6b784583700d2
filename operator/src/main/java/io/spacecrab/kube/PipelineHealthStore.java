package io.spacecrab.kube;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.PipelineHealth;
import io.spacecrab.api.v1alpha1.PipelineHealthSpec;
import io.spacecrab.api.v1alpha1.PipelineHealthStatus;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The one PipelineHealth object ({@code self-test} in the operator's namespace). Its two writers
 * (operator, detector) each change only their own status fields, on a fresh read, with optimistic
 * concurrency, so neither overwrites the other. (Not a JSON merge patch: fabric8's mock API server
 * appends to lists where a real one replaces them.)
 */
public final class PipelineHealthStore {
  private static final int MAX_ATTEMPTS = 5;
  private final KubernetesClient client;
  private final String namespace;

  public PipelineHealthStore(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  public String namespace() {
    return namespace;
  }

  /** The object as the API server has it now; empty when it does not exist. */
  public Optional<PipelineHealth> get() {
    return Optional.ofNullable(client.resources(PipelineHealth.class).inNamespace(namespace)
        .withName(SpaceCrab.SELF_TEST_NAME).get());
  }

  /** Creates the object unless it exists; idempotent (a 409 means someone else made it). */
  public void ensure() {
    if (get().isPresent()) {
      return;
    }
    PipelineHealth health = new PipelineHealth();
    health.setMetadata(new ObjectMetaBuilder().withName(SpaceCrab.SELF_TEST_NAME).withNamespace(namespace).build());
    health.setSpec(new PipelineHealthSpec());
    try {
      client.resource(health).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /**
   * Applies this change to the status as the API server has it now and writes it back with that
   * resourceVersion ({@link StatusUpdate#write}: on a conflict, the other writer wrote meanwhile, it
   * reads and applies it again). Each writer changes only its own fields, so the other's survive.
   * Creates the object first if it is missing. Throws the API server's error otherwise.
   */
  public void updateStatus(Consumer<PipelineHealthStatus> change) {
    for (int attempt = 1; ; attempt++) {
      PipelineHealth health = get().orElse(null);
      if (health != null && StatusUpdate.write(client, health, PipelineHealthStatus::new, h -> change.accept(h.getStatus())) != null) {
        return;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw new IllegalStateException("PipelineHealth " + namespace + "/" + SpaceCrab.SELF_TEST_NAME
            + " vanished after being created " + attempt + " times");
      }
      ensure();
    }
  }
}
