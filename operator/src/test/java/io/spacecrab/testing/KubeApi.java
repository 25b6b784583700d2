package io.spacecrab.testing;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * An in-process Kubernetes API: fabric8's mock server in CRUD mode on a loopback port, with the
 * generated CRDs applied so that it keeps the status subresource apart.
 */
public final class KubeApi implements ApiServer, AutoCloseable {
  /** The mock web server logs every request through java.util.logging; held so the level sticks. */
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;

  private KubeApi(KubernetesMockServer server) {
    this.server = server;
    this.client = newClient(b -> { });
  }

  public static KubeApi start() {
    return start(new KubernetesCrudDispatcher(List.of()));
  }

  /** As {@link #start()}, with this dispatcher (e.g. one that counts requests). */
  public static KubeApi start(KubernetesCrudDispatcher dispatcher) {
    MOCK_SERVER_LOG.setLevel(java.util.logging.Level.WARNING);
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
        dispatcher, false);
    server.init(InetAddress.getLoopbackAddress(), 0);
    KubeApi api = new KubeApi(server);
    api.applyCrds();
    return api;
  }

  /** A client for the test itself (not the operator's). */
  @Override
  public KubernetesClient client() {
    return client;
  }

  /** A separate client, e.g. for an operator instance, customised by the caller. */
  @Override
  public KubernetesClient newClient(Consumer<KubernetesClientBuilder> customise) {
    return server.createClient(b -> {
      b.withConfig(new io.fabric8.kubernetes.client.ConfigBuilder(server.createClient().getConfiguration())
          .withRequestRetryBackoffLimit(0).withNamespace("default").build());
      customise.accept(b);
    });
  }

  @Override
  public String url() {
    return client.getMasterUrl().toString();
  }

  /** A kubeconfig file for this server with {@code token} as the bearer (the mock server accepts any). */
  public Path kubeconfigFor(String token) {
    try {
      Path file = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(file, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: " + url()
          + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
          + "current-context: c\nusers:\n- name: u\n  user:\n    token: " + token + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void createNamespace(String name) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
  }

  private void applyCrds() {
    for (Path file : crdFiles()) {
      try (InputStream in = Files.newInputStream(file)) {
        CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().load(in).item();
        client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The CRDs the build generated from the Java classes. */
  public static List<Path> crdFiles() {
    Path dir = Path.of("target/classes/META-INF/fabric8");
    if (!Files.isDirectory(dir)) {
      dir = Path.of("operator/target/classes/META-INF/fabric8");
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith("-v1.yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("no generated CRDs in " + dir.toAbsolutePath() + "; build first", e);
    }
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
