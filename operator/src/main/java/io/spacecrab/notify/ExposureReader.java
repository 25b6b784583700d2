package io.spacecrab.notify;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.v1alpha1.AlertExposure;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.TokenRef;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Reads, live, what {@link SecretExposure} needs about a token's Secret: the token (for where its
 * Secret is), the workloads and RoleBindings of the Secret's namespace, the cluster's
 * ClusterRoleBindings and ClusterRoles (12 LISTs/GETs at most). Never throws and never takes
 * longer than its deadline: a failed or slow read gives an Unknown exposure naming what failed.
 */
public class ExposureReader {
  /** How long all reads of one alert may take together. */
  public static final Duration DEADLINE = Duration.ofSeconds(10);

  private static final ExecutorService READS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "exposure-reads");
    t.setDaemon(true);
    return t;
  });

  private final KubernetesClient client;
  private final Clock clock;
  private final Duration deadline;

  public ExposureReader(KubernetesClient client, Clock clock, Duration deadline) {
    this.client = client;
    this.clock = clock;
    this.deadline = deadline;
  }

  /** The exposure of the token's Secret now: Known, or Unknown with a reason (the token is gone, a read failed). */
  public AlertExposure read(TokenRef token) {
    String[] step = {"reading the HoneyToken"};
    String[] secret = {null, null};
    CompletableFuture<AlertExposure> reads = CompletableFuture.supplyAsync(() -> readAll(token, step, secret), READS);
    try {
      return reads.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      reads.cancel(true);
      return SecretExposure.unknown(secret[0], secret[1], "Timeout",
          "The reads took longer than " + deadline.toSeconds() + " s (at " + step[0] + ").", clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return SecretExposure.unknown(secret[0], secret[1], "ReadFailed", "Interrupted while " + step[0] + ".",
          clock.instant());
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof KubernetesClientException k && k.getCode() == 403) {
        return SecretExposure.unknown(secret[0], secret[1], "Forbidden",
            "The operator may not read what it needs (403 while " + step[0] + ").", clock.instant());
      }
      String code = cause instanceof KubernetesClientException k && k.getCode() > 0 ? "HTTP " + k.getCode()
          : cause.getClass().getSimpleName();
      return SecretExposure.unknown(secret[0], secret[1], "ReadFailed",
          "Reading failed (" + code + " while " + step[0] + ").", clock.instant());
    }
  }

  private AlertExposure readAll(TokenRef ref, String[] step, String[] secret) {
    if (ref == null || ref.getName() == null || ref.getNamespace() == null) {
      return SecretExposure.unknown(null, null, "TokenNotFound", "The alert names no HoneyToken.", clock.instant());
    }
    HoneyToken token = client.resources(HoneyToken.class).inNamespace(ref.getNamespace()).withName(ref.getName()).get();
    if (token == null || (ref.getUid() != null && !ref.getUid().equals(token.getMetadata().getUid()))) {
      return SecretExposure.unknown(null, null, "TokenNotFound", "HoneyToken " + ref.getNamespace() + "/"
          + ref.getName() + " no longer exists, so where its Secret was is unknown.", clock.instant());
    }
    secret[0] = token.getStatus() != null && token.getStatus().getSecretNamespace() != null
        ? token.getStatus().getSecretNamespace()
        : token.getSpec() != null && token.getSpec().getSecret() != null && token.getSpec().getSecret().getNamespace() != null
            ? token.getSpec().getSecret().getNamespace() : ref.getNamespace();
    secret[1] = token.getStatus() != null && token.getStatus().getSecretName() != null
        ? token.getStatus().getSecretName()
        : token.getSpec() != null && token.getSpec().getSecret() != null ? token.getSpec().getSecret().getName() : null;
    if (secret[1] == null) {
      return SecretExposure.unknown(secret[0], null, "SecretUnknown", "HoneyToken " + ref.getNamespace() + "/"
          + ref.getName() + " names no Secret.", clock.instant());
    }
    String ns = secret[0];
    var reads = new SecretExposure.Reads(
        list(step, "listing pods in " + ns, () -> client.pods().inNamespace(ns).list().getItems()),
        list(step, "listing replicasets in " + ns, () -> client.apps().replicaSets().inNamespace(ns).list().getItems()),
        list(step, "listing deployments in " + ns, () -> client.apps().deployments().inNamespace(ns).list().getItems()),
        list(step, "listing statefulsets in " + ns, () -> client.apps().statefulSets().inNamespace(ns).list().getItems()),
        list(step, "listing daemonsets in " + ns, () -> client.apps().daemonSets().inNamespace(ns).list().getItems()),
        list(step, "listing jobs in " + ns, () -> client.batch().v1().jobs().inNamespace(ns).list().getItems()),
        list(step, "listing cronjobs in " + ns, () -> client.batch().v1().cronjobs().inNamespace(ns).list().getItems()),
        list(step, "listing rolebindings in " + ns,
            () -> client.rbac().roleBindings().inNamespace(ns).list().getItems()),
        list(step, "listing roles in " + ns, () -> client.rbac().roles().inNamespace(ns).list().getItems()),
        list(step, "listing clusterrolebindings", () -> client.rbac().clusterRoleBindings().list().getItems()),
        list(step, "listing clusterroles", () -> client.rbac().clusterRoles().list().getItems()));
    return SecretExposure.of(ns, secret[1], reads, clock.instant());
  }

  private static <T> List<T> list(String[] step, String what, Supplier<List<T>> read) {
    step[0] = what;
    return read.get();
  }
}
