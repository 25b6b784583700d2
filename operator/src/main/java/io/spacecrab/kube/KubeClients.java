package io.spacecrab.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.config.OperatorConfig;
import java.util.List;

/** The operator's Kubernetes client: the ambient configuration (in-cluster or KUBECONFIG) plus the write limit. */
public final class KubeClients {
  private KubeClients() {}

  /** The write limit the configuration describes. */
  public static KubeWriteLimiter writeLimiter(OperatorConfig config) {
    return new KubeWriteLimiter(config.kubeWritesPerSecond(), config.kubeWriteBurst());
  }

  /** A client from the ambient configuration whose writes pass through {@code limiter}. */
  public static KubernetesClient build(KubeWriteLimiter limiter) {
    KubernetesClientBuilder builder = new KubernetesClientBuilder();
    withInterceptors(builder, limiter, List.of());
    return builder.build();
  }

  /**
   * Installs the write limiter, then {@code more} (tests add recorders and fault switches), on a
   * builder; one consumer, since the builder keeps only the last one it is given.
   */
  public static KubernetesClientBuilder withInterceptors(KubernetesClientBuilder builder, KubeWriteLimiter limiter,
      List<Interceptor> more) {
    return builder.withHttpClientBuilderConsumer(http -> {
      http.addOrReplaceInterceptor(KubeWriteLimiter.NAME, limiter);
      for (int i = 0; i < more.size(); i++) {
        http.addOrReplaceInterceptor("extra-" + i, more.get(i));
      }
    });
  }
}
