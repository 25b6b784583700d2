package io.spacecrab.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.function.Consumer;

/**
 * A Kubernetes API server the tests run the operator against: fabric8's in-process mock
 * ({@link KubeApi}) or a real control plane on loopback ({@link RealCluster}).
 */
public interface ApiServer {
  /** A client with full rights for the test itself (not the operator's); closed by the server. */
  KubernetesClient client();

  /** A new client with full rights, customised by the caller (e.g. for an operator); the caller closes it. */
  KubernetesClient newClient(Consumer<KubernetesClientBuilder> customise);

  /** The server's base URL. */
  String url();

  /** Creates this namespace; fails if it exists. */
  void createNamespace(String name);
}
