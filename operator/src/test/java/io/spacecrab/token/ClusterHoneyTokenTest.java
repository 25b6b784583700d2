package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.TemplateMetadata;
import io.spacecrab.testing.KubeWrites;
import io.spacecrab.testing.OperatorUnderTest;
import java.io.FileInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.Tokens;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ClusterHoneyTokens against moto and the mock Kubernetes API: selection, rollout, cascade, conflicts, no idle writes. */
@OwnJvm
class ClusterHoneyTokenTest {
  static final Duration WAIT = Duration.ofSeconds(60);

  final KubeWrites writes = new KubeWrites();
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().operator(writes).build();

  @Test
  void eachSelectorOperatorPicksItsNamespacesAndFollowsLabelChangesBothWays() {
    namespace("shop", Map.of("env", "prod"));
    namespace("lab", Map.of("env", "dev"));
    namespace("scratch", Map.of());
    create(clusterToken("in-prod", expression("env", "In", "prod"), "in-prod-creds"));
    create(clusterToken("not-prod", expression("env", "NotIn", "prod"), "not-prod-creds"));
    create(clusterToken("has-env", expression("env", "Exists"), "has-env-creds"));
    create(clusterToken("no-env", expression("env", "DoesNotExist"), "no-env-creds"));

    awaitChildren("in-prod", "shop");
    awaitChildren("not-prod", OperatorUnderTest.NAMESPACE, "lab", "scratch");
    awaitChildren("has-env", "lab", "shop");
    awaitChildren("no-env", OperatorUnderTest.NAMESPACE, "scratch");

    relabel("scratch", Map.of("env", "prod"));
    relabel("shop", Map.of());
    awaitChildren("in-prod", "scratch");
    awaitChildren("not-prod", OperatorUnderTest.NAMESPACE, "lab", "shop");
    awaitChildren("has-env", "lab", "scratch");
    awaitChildren("no-env", OperatorUnderTest.NAMESPACE, "shop");
  }

  @Test
  void namespacesListedExcludedCreatedAndDeletedAreFollowed() {
    namespace("shop", Map.of("team", "a"));
    namespace("lab", Map.of("team", "a"));
    namespace("ledger", Map.of());
    ClusterHoneyToken token = clusterToken("spread", new LabelSelectorBuilder().withMatchLabels(Map.of("team", "a"))
        .build(), "spread-creds");
    token.getSpec().setNamespaces(List.of("ledger"));
    token.getSpec().setExcludeNamespaces(List.of("lab"));
    create(token);
    awaitChildren("spread", "ledger", "shop");

    namespace("billing", Map.of("team", "a"));
    awaitChildren("spread", "billing", "ledger", "shop");

    env.client().namespaces().withName("shop").delete();
    awaitChildren("spread", "billing", "ledger");
  }

  @Test
  void aRolloutCreatesItsIamUsersOneByOneNotAllAtOnce() {
    env.startOperator(env.config("--creation-burst=2", "--creation-spacing=PT3S"));
    for (String ns : List.of("n1", "n2", "n3", "n4", "n5")) {
      namespace(ns, Map.of("env", "prod"));
    }
    create(clusterToken("paced", expression("env", "In", "prod"), "paced-creds"));

    // those beyond the burst say when their user comes
    await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertThat(children("paced"))
        .anySatisfy(c -> assertThat(c.getStatus().getConditions()).anySatisfy(cond -> {
          assertThat(cond.getReason()).isEqualTo("Scheduled");
          assertThat(cond.getMessage()).contains("spread out");
        })));
    awaitAllReady("paced", 5);
    List<java.time.Instant> created = env.adminIam().listUsers().users().stream()
        .filter(u -> !u.userName().equals("admin")).map(u -> u.createDate()).sorted().toList();
    assertThat(created).hasSize(5);
    // two at once, then three more each 1.5-4.5 s after the one before
    assertThat(Duration.between(created.get(0), created.get(1))).isLessThanOrEqualTo(Duration.ofSeconds(2));
    assertThat(Duration.between(created.get(1), created.get(4))).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
  }

  /**
   * A child an earlier version planted in the tenant namespace itself (with an ownerReference on its
   * Secret) is replaced by one in the security namespace that takes its IAM user and key over:
   * nothing is reissued, the Secret keeps its key and loses the reference, and the earlier child goes.
   */
  @Test
  void anEarlierVersionsChildInTheTenantNamespaceIsReplacedWithoutANewKey() {
    namespace("shop", Map.of("env", "prod"));
    HoneyToken earlier = Tokens.token("shop", "moved", "moved-creds");
    earlier.getMetadata().setLabels(Map.of(SpaceCrab.CLUSTER_TOKEN_LABEL, "moved"));
    HoneyToken created = env.client().resource(earlier).create();
    HoneyToken issued = await().atMost(WAIT).until(() -> env.client().resource(created).get(),
        t -> t.getStatus() != null && t.getStatus().getAccessKeyId() != null);
    String user = issued.getStatus().getUserName();
    String key = issued.getStatus().getAccessKeyId();
    // what the earlier version also wrote: an ownerReference from the Secret to its token
    env.client().secrets().inNamespace("shop").withName("moved-creds").edit(sec -> {
      sec.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
          .withApiVersion("spacecrab.io/v1alpha1").withKind("HoneyToken").withName("moved")
          .withUid(issued.getMetadata().getUid()).build()));
      return sec;
    });

    create(clusterToken("moved", expression("env", "In", "prod"), "moved-creds"));
    awaitChildren("moved", "shop");
    awaitAllReady("moved", 1);
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(env.client().resources(HoneyToken.class).inNamespace("shop").list().getItems()).isEmpty();
      HoneyToken child = children("moved").get(0);
      assertThat(child.getStatus().getUserName()).isEqualTo(user);
      assertThat(child.getStatus().getAccessKeyId()).isEqualTo(key);
      var secret = env.client().secrets().inNamespace("shop").withName("moved-creds").get();
      assertThat(secret).isNotNull();
      assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(new String(java.util.Base64.getDecoder().decode(secret.getData().get("AWS_ACCESS_KEY_ID"))))
          .isEqualTo(key);
    });
    assertThat(env.adminIam().listAccessKeys(r -> r.userName(user)).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(key);
  }

  @Test
  void everyChildGetsItsOwnIamUserAndTheStatusCountsThem() {
    namespace("shop", Map.of("env", "prod"));
    namespace("lab", Map.of("env", "prod"));
    create(clusterToken("keys", expression("env", "In", "prod"), "keys-creds"));

    ClusterHoneyToken ready = awaitAllReady("keys", 2);
    assertThat(ready.getStatus().getFailed()).isZero();
    assertThat(env.client().v1().events().inAnyNamespace().list().getItems())
        .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("TokensChanged"));
    assertThat(ready.getStatus().getObservedGeneration()).isEqualTo(ready.getMetadata().getGeneration());
    Set<String> users = children("keys").stream().map(c -> c.getStatus().getUserName()).collect(Collectors.toSet());
    assertThat(users).hasSize(2);
    users.forEach(user -> assertThat(env.adminIam().listAccessKeys(r -> r.userName(user)).accessKeyMetadata()).hasSize(1));
    // tenants see a Secret and nothing else: no HoneyToken and no Event in their namespace
    for (String ns : List.of("shop", "lab")) {
      assertThat(env.client().secrets().inNamespace(ns).withName("keys-creds").get()).isNotNull();
      assertThat(env.client().resources(HoneyToken.class).inNamespace(ns).list().getItems()).isEmpty();
      assertThat(env.client().v1().events().inNamespace(ns).list().getItems()).isEmpty();
    }
  }

  @Test
  void templateChangesRollOutToEveryChild() {
    namespace("shop", Map.of("env", "prod"));
    namespace("lab", Map.of("env", "prod"));
    create(clusterToken("rollout", expression("env", "In", "prod"), "rollout-creds"));
    awaitAllReady("rollout", 2);

    ClusterHoneyToken current = env.client().resources(ClusterHoneyToken.class).withName("rollout").get();
    current.getSpec().getTemplate().getSpec().setOwner("platform-oncall");
    current.getSpec().getTemplate().getMetadata().setLabels(Map.of("tier", "gold"));
    env.client().resource(current).update();

    await().atMost(WAIT).untilAsserted(() -> assertThat(children("rollout")).hasSize(2).allSatisfy(child -> {
      assertThat(child.getSpec().getOwner()).isEqualTo("platform-oncall");
      assertThat(child.getMetadata().getLabels()).containsEntry("tier", "gold")
          .containsEntry(SpaceCrab.CLUSTER_TOKEN_LABEL, "rollout");
    }));
    awaitAllReady("rollout", 2);
  }

  @Test
  void deletingTheClusterHoneyTokenDeletesItsTokensAndTheirIamUsers() {
    namespace("shop", Map.of("env", "prod"));
    namespace("lab", Map.of("env", "prod"));
    create(clusterToken("cascade", expression("env", "In", "prod"), "cascade-creds"));
    awaitAllReady("cascade", 2);
    List<String> users = children("cascade").stream().map(c -> c.getStatus().getUserName()).toList();

    env.client().resources(ClusterHoneyToken.class).withName("cascade").delete();

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(env.client().resources(ClusterHoneyToken.class).withName("cascade").get()).isNull();
      assertThat(children("cascade")).isEmpty();
      for (String user : users) {
        assertThat(userExists(user)).as("IAM user %s", user).isFalse();
      }
    });
  }

  @Test
  void aSameNamedTokenItDidNotCreateIsReportedAndLeftAlone() {
    namespace("shop", Map.of("env", "prod"));
    namespace("lab", Map.of("env", "prod"));
    HoneyToken foreign = Tokens.token(OperatorUnderTest.NAMESPACE, "guarded.lab", "someone-elses");
    env.client().resource(foreign).create();
    create(clusterToken("guarded", expression("env", "In", "prod"), "guarded-creds"));

    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = env.client().resources(ClusterHoneyToken.class).withName("guarded").get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getDesired()).isEqualTo(2);
      assertThat(current.getStatus().getReady()).isEqualTo(1);
      assertThat(current.getStatus().getFailed()).isEqualTo(1);
      assertThat(current.getStatus().getFailingNamespaces()).singleElement().satisfies(f -> {
        assertThat(f.getNamespace()).isEqualTo("lab");
        assertThat(f.getReason()).isEqualTo("TokenConflict");
      });
      assertThat(readyReason(current)).isEqualTo("TokensFailing");
    });
    HoneyToken untouched = env.client().resources(HoneyToken.class).inNamespace(OperatorUnderTest.NAMESPACE)
        .withName("guarded.lab").get();
    assertThat(untouched.getMetadata().getLabels()).isNullOrEmpty();
    assertThat(untouched.getSpec().getSecret().getName()).isEqualTo("someone-elses");
  }

  @Test
  void anInvalidSelectorIsReportedAsInvalidSpecAndCreatesNothing() {
    namespace("shop", Map.of("env", "prod"));
    create(clusterToken("broken", new LabelSelectorBuilder().addNewMatchExpression().withKey("env")
        .withOperator("Near").withValues("prod").endMatchExpression().build(), "broken-creds"));

    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = env.client().resources(ClusterHoneyToken.class).withName("broken").get();
      assertThat(readyReason(current)).isEqualTo("InvalidSpec");
      assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
          .contains("spec.namespaceSelector.matchExpressions[0].operator 'Near'");
    });
    assertThat(children("broken")).isEmpty();
  }

  @Test
  void anUnchangedClusterHoneyTokenMakesNoWrites() {
    namespace("shop", Map.of("env", "prod"));
    namespace("lab", Map.of("env", "prod"));
    create(clusterToken("quiet", expression("env", "In", "prod"), "quiet-creds"));
    awaitAllReady("quiet", 2);
    int[] last = {-1};
    await().atMost(WAIT).pollInterval(Duration.ofSeconds(2)).until(() -> {
      int now = writes.all().size();
      boolean settledNow = now == last[0];
      last[0] = now;
      return settledNow;
    });
    int settled = writes.all().size();

    relabel("lab", Map.of("env", "prod", "unrelated", "yes"));
    namespace("other", Map.of("env", "dev"));

    await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(8))
        .until(() -> writes.all().size() == settled);
  }

  @Test
  void theExampleManifestAppliesAndCoversTheLabelledNamespaces() throws IOException {
    namespace("payments", Map.of("security.example.com/monitored", "true"));
    namespace("ledger", Map.of("security.example.com/monitored", "true"));
    namespace("kube-public", Map.of("security.example.com/monitored", "true"));
    ClusterHoneyToken example;
    try (var in = new FileInputStream(HoneyTokenLifecycleTest.examples().resolve("clusterhoneytoken.yaml").toFile())) {
      example = env.client().resources(ClusterHoneyToken.class).load(in).item();
    }
    env.client().resource(example).create();
    String name = example.getMetadata().getName();
    awaitChildren(name, "ledger", "payments");
    awaitAllReady(name, 2);
  }

  // --- helpers ---

  void namespace(String name, Map<String, String> labels) {
    env.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .withLabels(labels).endMetadata().build()).create();
  }

  void relabel(String name, Map<String, String> labels) {
    Namespace current = env.client().namespaces().withName(name).get();
    current.getMetadata().setLabels(new HashMap<>(labels));
    env.client().resource(current).update();
  }

  static LabelSelector expression(String key, String operator, String... values) {
    return new LabelSelectorBuilder().addNewMatchExpression().withKey(key).withOperator(operator)
        .withValues(values.length == 0 ? null : List.of(values)).endMatchExpression().build();
  }

  static ClusterHoneyToken clusterToken(String name, LabelSelector selector, String secretName) {
    ClusterHoneyToken token = Tokens.clusterToken(name, selector, secretName);
    TemplateMetadata metadata = new TemplateMetadata();
    metadata.setLabels(Map.of("team", "security"));
    metadata.setAnnotations(Map.of("example.com/contact", "security@example.com"));
    token.getSpec().getTemplate().setMetadata(metadata);
    return token;
  }

  void create(ClusterHoneyToken token) {
    env.client().resource(token).create();
  }

  List<HoneyToken> children(String parent) {
    return env.client().resources(HoneyToken.class).inAnyNamespace().list().getItems().stream()
        .filter(t -> t.getMetadata().getLabels() != null
            && parent.equals(t.getMetadata().getLabels().get(SpaceCrab.CLUSTER_TOKEN_LABEL)))
        .toList();
  }

  /**
   * Waits until the live children of parent (not being deleted) plant their Secrets in exactly
   * these namespaces; every child lives in the operator's (security) namespace, none where its Secret is.
   */
  void awaitChildren(String parent, String... namespaces) {
    await().atMost(WAIT).untilAsserted(() -> {
      List<HoneyToken> live = children(parent).stream()
          .filter(t -> t.getMetadata().getDeletionTimestamp() == null).toList();
      assertThat(live).allSatisfy(t -> assertThat(t.getMetadata().getNamespace()).isEqualTo(OperatorUnderTest.NAMESPACE));
      List<String> holding = live.stream().map(t -> t.getSpec().getSecret().getNamespace()).sorted().toList();
      assertThat(holding).as("namespaces holding a token of %s", parent).containsExactlyInAnyOrder(namespaces);
    });
  }

  ClusterHoneyToken awaitAllReady(String name, int count) {
    ClusterHoneyToken[] seen = new ClusterHoneyToken[1];
    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = env.client().resources(ClusterHoneyToken.class).withName(name).get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getDesired()).isEqualTo(count);
      assertThat(current.getStatus().getReady()).isEqualTo(count);
      assertThat(readyReason(current)).isEqualTo("AllReady");
      seen[0] = current;
    });
    return seen[0];
  }

  static String readyReason(ClusterHoneyToken token) {
    return token.getStatus() == null ? null
        : Conditions.find(token.getStatus().getConditions(), Conditions.READY).map(c -> c.getReason()).orElse(null);
  }

  boolean userExists(String user) {
    try {
      env.adminIam().getUser(r -> r.userName(user));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }
}
