package io.spacecrab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.config.OperatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * One test's world on the real API server: moto reset, a registry table, the operator with
 * server-side apply ON in its own namespace, and namespaces of the test's own. {@link #close()}
 * deletes the test's tokens while the operator still runs (their finalizers need it), then stops
 * it, so that the next test of the class starts clean on the same cluster.
 */
public final class RealServerFixture implements AutoCloseable {
  public static final Duration WAIT = Duration.ofSeconds(60);

  public final RealCluster cluster = RealCluster.shared();
  public final MotoServer moto = MotoServer.shared();
  public final String system;
  public final OperatorConfig config;
  public final DynamoDbTokenRegistry registry;
  public final IamClient adminIam;
  public OperatorUnderTest operator;
  private final List<String> namespaces = new ArrayList<>();

  private RealServerFixture(String... extraFlags) {
    moto.reset();
    system = namespace("spacecrab");
    List<String> flags = new ArrayList<>(List.of("--server-side-apply=true", "--namespace=" + system));
    flags.addAll(List.of(extraFlags));
    config = OperatorUnderTest.config(moto, flags.toArray(String[]::new));
    registry = OperatorUnderTest.createRegistry(moto, config);
    adminIam = moto.iam(moto.adminCredentials());
  }

  /** The world with the operator started. */
  public static RealServerFixture start(String... extraFlags) {
    return start(List.of(), extraFlags);
  }

  /** The world with the operator started, its Kubernetes client carrying these interceptors. */
  public static RealServerFixture start(List<Interceptor> kubeInterceptors, String... extraFlags) {
    RealServerFixture f = new RealServerFixture(extraFlags);
    f.operator = OperatorUnderTest.start(f.cluster, f.moto, f.config, List.of(), kubeInterceptors, null);
    return f;
  }

  /** The world without the operator (e.g. for a detector-only test); {@link #operator} is null. */
  public static RealServerFixture withoutOperator(String... extraFlags) {
    return new RealServerFixture(extraFlags);
  }

  public KubernetesClient client() {
    return cluster.client();
  }

  /** A new namespace {@code prefix-<random>}, deleted by {@link #close()}. */
  public String namespace(String prefix) {
    return namespace(prefix, Map.of());
  }

  /** A new labelled namespace {@code prefix-<random>}, deleted by {@link #close()}. */
  public String namespace(String prefix, Map<String, String> labels) {
    String name = prefix + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels)
        .endMetadata().build()).create();
    namespaces.add(name);
    return name;
  }

  /** Waits until the token is Ready for its current generation; returns it. */
  public HoneyToken awaitReady(HoneyToken token) {
    return await().atMost(WAIT).ignoreExceptions().until(() -> client().resource(token).get(), t -> t != null
        && t.getStatus() != null && t.getStatus().getAccessKeyId() != null
        && java.util.Objects.equals(t.getStatus().getObservedGeneration(), t.getMetadata().getGeneration())
        && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
            .map(c -> "True".equals(c.getStatus())).orElse(false));
  }

  /** The IAM user names on moto other than the administrator. */
  public List<String> iamUsers() {
    return adminIam.listUsers().users().stream().map(u -> u.userName()).filter(n -> !n.equals("admin")).sorted()
        .toList();
  }

  /** Deletes the test's ClusterHoneyTokens and tokens and waits for them to go, then stops the operator. */
  @Override
  public void close() {
    try {
      if (operator != null) {
        for (ClusterHoneyToken c : client().resources(ClusterHoneyToken.class).list().getItems()) {
          client().resource(c).delete();
        }
        for (String ns : namespaces) {
          client().resources(HoneyToken.class).inNamespace(ns).delete();
        }
        await().atMost(WAIT).untilAsserted(() -> {
          assertThat(client().resources(ClusterHoneyToken.class).list().getItems()).isEmpty();
          assertThat(namespaces.stream().flatMap(ns -> client().resources(HoneyToken.class).inNamespace(ns).list()
              .getItems().stream())).isEmpty();
        });
      }
    } finally {
      if (operator != null) {
        operator.close();
      }
      adminIam.close();
      Stream.of(namespaces.toArray(String[]::new)).forEach(ns -> client().namespaces().withName(ns).delete());
    }
  }
}
