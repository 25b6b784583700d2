package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.RealServerFixture;
import io.spacecrab.testing.Tokens;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ClusterHoneyTokens on a real API server and controller manager: namespaces selected by label,
 * relabelled out, deleted for real (Terminating, then gone); template roll-out; deletion cascade.
 */
class RealServerClusterTokenIT {
  RealServerFixture world;
  /** A label key of this test's own, so that no other namespace of the cluster is selected. */
  String label;
  String name;

  @BeforeEach
  void setUp() {
    world = RealServerFixture.start();
    String suffix = HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    label = "test.example.com/monitored-" + suffix;
    name = "ci-credentials-" + suffix;
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  void followsNamespaceLabelsAndNamespaceDeletion() {
    String a = world.namespace("team-a", Map.of(label, "true"));
    String b = world.namespace("team-b", Map.of(label, "true"));
    String c = world.namespace("team-c", Map.of(label, "true"));
    String unlabelled = world.namespace("team-d");
    world.client().resource(clusterToken()).create();

    Map<String, HoneyToken> children = awaitReadyChildren(a, b, c);
    Map<String, String> users = new TreeMap<>();
    children.forEach((ns, child) -> users.put(ns, child.getStatus().getUserName()));
    assertThat(world.iamUsers()).containsExactlyInAnyOrderElementsOf(users.values());
    assertThat(children).doesNotContainKey(unlabelled);

    world.client().namespaces().withName(a).edit(n -> {
      n.getMetadata().getLabels().put(label, "false");
      return n;
    });
    awaitReadyChildren(b, c);
    await().atMost(RealServerFixture.WAIT).untilAsserted(() ->
        assertThat(world.iamUsers()).containsExactlyInAnyOrder(users.get(b), users.get(c)));

    world.cluster.kubectl(List.of("delete", "namespace", b, "--wait=false")).ok();
    await().atMost(RealServerFixture.WAIT).untilAsserted(() -> {
      assertThat(world.client().namespaces().withName(b).get()).as("namespace %s", b).isNull();
      assertThat(world.iamUsers()).containsExactly(users.get(c));
    });
    awaitReadyChildren(c);
    ClusterHoneyToken parent = world.client().resources(ClusterHoneyToken.class).withName(name).get();
    assertThat(parent.getStatus().getFailed()).isZero();
    assertThat(children().get(c).getStatus().getUserName()).isEqualTo(users.get(c));
    // the tenant namespace holds the Secret and nothing that points at a token
    assertThat(world.client().resources(HoneyToken.class).inNamespace(c).list().getItems()).isEmpty();
    assertThat(world.client().v1().events().inNamespace(c).list().getItems()).isEmpty();
    assertThat(world.client().secrets().inNamespace(c).withName("aws-ci").get().getMetadata().getOwnerReferences())
        .isNullOrEmpty();
  }

  @Test
  void templateChangesRollOutAndDeletingTheClusterTokenRemovesEveryChildAndUser() {
    String a = world.namespace("team-a", Map.of(label, "true"));
    String b = world.namespace("team-b", Map.of(label, "true"));
    world.client().resource(clusterToken()).create();
    Map<String, HoneyToken> before = awaitReadyChildren(a, b);

    world.client().resources(ClusterHoneyToken.class).withName(name).edit(p -> {
      p.getSpec().getTemplate().getSpec().setOwner("platform-oncall");
      return p;
    });
    await().atMost(RealServerFixture.WAIT).untilAsserted(() -> {
      Map<String, HoneyToken> now = readyChildren();
      assertThat(now).containsOnlyKeys(a, b);
      now.forEach((ns, child) -> {
        assertThat(child.getSpec().getOwner()).isEqualTo("platform-oncall");
        assertThat(child.getStatus().getObservedGeneration()).isEqualTo(child.getMetadata().getGeneration());
        assertThat(child.getStatus().getAccessKeyId()).as("the same key in %s", ns)
            .isEqualTo(before.get(ns).getStatus().getAccessKeyId());
      });
    });
    assertThat(world.iamUsers()).hasSize(2);

    world.client().resources(ClusterHoneyToken.class).withName(name).delete();
    await().atMost(RealServerFixture.WAIT).untilAsserted(() -> {
      assertThat(world.client().resources(ClusterHoneyToken.class).withName(name).get()).isNull();
      assertThat(children()).isEmpty();
      assertThat(world.iamUsers()).isEmpty();
    });
    assertThat(world.client().secrets().inNamespace(a).withName("aws-ci").get()).isNull();
    assertThat(world.client().secrets().inNamespace(b).withName("aws-ci").get()).isNull();
  }

  /** Waits until exactly these namespaces hold a Ready child and the parent counts them all Ready. */
  private Map<String, HoneyToken> awaitReadyChildren(String... namespaces) {
    return await().atMost(RealServerFixture.WAIT).ignoreExceptions().until(() -> {
      Map<String, HoneyToken> ready = readyChildren();
      ClusterHoneyToken parent = world.client().resources(ClusterHoneyToken.class).withName(name).get();
      boolean counted = parent.getStatus() != null && parent.getStatus().getDesired() == namespaces.length
          && parent.getStatus().getReady() == namespaces.length
          && Conditions.find(parent.getStatus().getConditions(), Conditions.READY)
              .map(cond -> "True".equals(cond.getStatus())).orElse(false);
      return counted && children().keySet().equals(java.util.Set.of(namespaces))
          && ready.keySet().equals(java.util.Set.of(namespaces)) ? ready : null;
    }, r -> r != null);
  }

  /** The children by the namespace their Secret is in; every one lives in the operator's (security) namespace. */
  private Map<String, HoneyToken> children() {
    Map<String, HoneyToken> byNamespace = new TreeMap<>();
    world.client().resources(HoneyToken.class).inAnyNamespace().withLabel(SpaceCrab.CLUSTER_TOKEN_LABEL, name).list()
        .getItems().forEach(t -> {
          assertThat(t.getMetadata().getNamespace()).isEqualTo(world.system);
          byNamespace.put(t.getSpec().getSecret().getNamespace(), t);
        });
    return byNamespace;
  }

  private Map<String, HoneyToken> readyChildren() {
    Map<String, HoneyToken> ready = new TreeMap<>();
    children().forEach((ns, t) -> {
      if (t.getStatus() != null && t.getStatus().getAccessKeyId() != null
          && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
              .map(cond -> "True".equals(cond.getStatus())).orElse(false)) {
        ready.put(ns, t);
      }
    });
    return ready;
  }

  private ClusterHoneyToken clusterToken() {
    return Tokens.clusterToken(name, label, "true", "aws-ci");
  }
}
