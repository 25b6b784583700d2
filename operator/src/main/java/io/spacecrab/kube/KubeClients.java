package io.spacecrab.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.config.OperatorConfig;
import java.util.List;

/**
 * The operator's Kubernetes client: the ambient configuration (in-cluster or KUBECONFIG), the
 * write limit, and the writer name. The API server records the writer of every create and update
 * in the object's {@code managedFields}; without an explicit field manager it takes the client's
 * User-Agent, so the client presents {@code --field-manager} (an ordinary name: tenants read
 * managedFields of the Secrets the operator writes).
 */
public final class KubeClients {
  private KubeClients() {}

  /** The write limit the configuration describes. */
  public static KubeWriteLimiter writeLimiter(OperatorConfig config) {
    return new KubeWriteLimiter(config.kubeWritesPerSecond(), config.kubeWriteBurst());
  }

  /** A client from the ambient configuration whose writes pass through {@code limiter}. */
  public static KubernetesClient build(OperatorConfig config, KubeWriteLimiter limiter) {
    KubernetesClientBuilder builder = new KubernetesClientBuilder();
    withInterceptors(builder, config.fieldManager(), limiter, List.of());
    return builder.build();
  }

  /**
   * Installs the writer name, the write limiter, then {@code more} (tests add recorders and fault
   * switches), on a builder; one consumer, since the builder keeps only the last one it is given.
   */
  public static KubernetesClientBuilder withInterceptors(KubernetesClientBuilder builder, String fieldManager,
      KubeWriteLimiter limiter, List<Interceptor> more) {
    Interceptor writerName = new Interceptor() {
      @Override
      public void before(BasicBuilder request, HttpRequest original, RequestTags tags) {
        request.setHeader("User-Agent", fieldManager);
      }
    };
    return builder.withHttpClientBuilderConsumer(http -> {
      http.addOrReplaceInterceptor("writer-name", writerName);
      http.addOrReplaceInterceptor(KubeWriteLimiter.NAME, limiter);
      for (int i = 0; i < more.size(); i++) {
        http.addOrReplaceInterceptor("extra-" + i, more.get(i));
      }
    });
  }
}
