package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.KubeWrites;
import io.spacecrab.testing.LogCapture;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.RealServerFixture;
import io.spacecrab.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator (server-side apply on) against a real kube-apiserver and controller manager, and
 * moto: what only a real server decides — field ownership, optimistic concurrency, namespace deletion.
 */
class RealServerTokenIT {
  final KubeWrites writes = new KubeWrites();
  RealServerFixture world;
  String ns;

  @BeforeEach
  void setUp() {
    world = RealServerFixture.start(List.of(writes));
    ns = world.namespace("payments");
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  void becomesReadyWithItsSecretAndWritesStatusWithServerSideApply() {
    HoneyToken ready = world.awaitReady(world.client().resource(Tokens.token(ns, "deploy", "aws-deploy")).create());

    String keyId = ready.getStatus().getAccessKeyId();
    String userName = ready.getStatus().getUserName();
    assertThat(ready.getStatus().getSecretName()).isEqualTo("aws-deploy");
    assertThat(ready.getMetadata().getFinalizers()).containsExactly(SpaceCrab.FINALIZER);
    assertThat(world.iamUsers()).containsExactly(userName);
    assertThat(world.adminIam.listAccessKeys(r -> r.userName(userName)).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(keyId);
    assertThat(world.registry.get(keyId).orElseThrow().state()).isEqualTo(RegistryState.Active);

    Secret secret = world.client().secrets().inNamespace(ns).withName("aws-deploy").get();
    assertThat(decode(secret.getData().get("AWS_ACCESS_KEY_ID"))).isEqualTo(keyId);
    // nothing on the Secret points at the token; its writer is recorded under the neutral field manager
    assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
    assertThat(ready.getStatus().getSecretUid()).isEqualTo(secret.getMetadata().getUid());
    assertThat(secret.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager)
        .containsOnly("kubectl-create");

    // the status and the finalizer were applied (SSA), not replaced or merge-patched
    List<ManagedFieldsEntry> fields = ready.getMetadata().getManagedFields();
    assertThat(fields).filteredOn(f -> "status".equals(f.getSubresource()))
        .isNotEmpty()
        .allSatisfy(f -> assertThat(f.getOperation()).isEqualTo("Apply"))
        .anySatisfy(f -> assertThat(owned(f)).contains("f:accessKeyId", "f:conditions", "f:observedGeneration"));
    assertThat(fields).filteredOn(f -> f.getSubresource() == null || f.getSubresource().isEmpty())
        .anySatisfy(f -> {
          assertThat(f.getOperation()).isEqualTo("Apply");
          assertThat(owned(f)).contains("f:finalizers", SpaceCrab.FINALIZER);
        });
  }

  /** As TokenWritesTest on the mock server, but with server-side apply on, as in production. */
  @Test
  void aNewTokenCostsAtMostThreeWritesAndARecheckNone() {
    world.awaitReady(world.client().resource(Tokens.token(ns, "deploy", "aws-deploy")).create());
    List<String> forToken = writesIn(ns);
    assertThat(forToken).as("writes for a new token: %s", forToken).hasSizeLessThanOrEqualTo(3)
        .anyMatch(w -> w.startsWith("PATCH") && w.endsWith("/honeytokens/deploy")) // the finalizer
        .anyMatch(w -> w.startsWith("POST") && w.endsWith("/secrets"))
        .anyMatch(w -> w.startsWith("PATCH") && w.endsWith("/honeytokens/deploy/status"));

    double iamCalls = world.operator.metrics().count("spacecrab_iam_calls_total");
    await().atMost(RealServerFixture.WAIT).until(() ->
        world.operator.metrics().count("spacecrab_iam_calls_total") >= iamCalls + 2);
    assertThat(writesIn(ns)).as("writes after an IAM re-check found nothing to do").isEqualTo(forToken);
  }

  @Test
  void aStaleStatusWriteGetsAConflictAndTheOperatorStillConverges() {
    HoneyToken ready = world.awaitReady(world.client().resource(Tokens.token(ns, "deploy", "aws-deploy")).create());
    String keyId = ready.getStatus().getAccessKeyId();

    // someone changes the token: the copy held here is now stale
    world.client().resources(HoneyToken.class).inNamespace(ns).withName("deploy")
        .edit(t -> {
          t.getMetadata().setLabels(java.util.Map.of("team", "payments"));
          return t;
        });
    HoneyToken stale = ready;
    stale.getStatus().setSecretName("somewhere-else");
    assertThatThrownBy(() -> world.client().resources(HoneyToken.class).inNamespace(ns).resource(stale).updateStatus())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getMessage()).contains("the object has been modified");
        });
    assertThat(world.client().resource(ready).get().getStatus().getSecretName()).isEqualTo("aws-deploy");

    // a spec change: the operator reconciles from the current token and its status write lands
    HoneyToken changed = world.client().resources(HoneyToken.class).inNamespace(ns).withName("deploy")
        .edit(t -> {
          t.getSpec().setOwner("payments-oncall");
          return t;
        });
    HoneyToken converged = world.awaitReady(changed);
    assertThat(converged.getStatus().getObservedGeneration()).isEqualTo(changed.getMetadata().getGeneration())
        .isGreaterThan(ready.getMetadata().getGeneration());
    assertThat(converged.getStatus().getAccessKeyId()).isEqualTo(keyId);
    assertThat(converged.getStatus().getSecretName()).isEqualTo("aws-deploy");
    assertThat(world.iamUsers()).containsExactly(converged.getStatus().getUserName());
  }

  @Test
  void aDeletionIamRefusesSaysSoInTheStatusAndFinishesOnceAllowed() {
    // as the stack answers RemoveUserFromGroup without AllowRemoveFromGroups=true
    AwsFaults denied = AwsFaults.always("RemoveUserFromGroup"::equals, 403, "AccessDenied");
    world.operator.close();
    world.operator = OperatorUnderTest.start(world.cluster, world.moto, world.config, List.of(denied), List.of(), null);
    HoneyToken ready = world.awaitReady(world.client().resource(Tokens.token(ns, "deploy", "aws-deploy")).create());
    String userName = ready.getStatus().getUserName();
    world.adminIam.createGroup(r -> r.groupName("ops"));
    world.adminIam.addUserToGroup(r -> r.groupName("ops").userName(userName));

    world.client().resource(ready).delete();
    // the operator's own status write on a token being deleted lands (JOSDK writes none after cleanup)
    HoneyToken blocked = await().atMost(RealServerFixture.WAIT).until(() -> world.client().resource(ready).get(),
        t -> t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
            .map(c -> "CleanupBlocked".equals(c.getReason())).orElse(false));
    assertThat(blocked.getMetadata().getFinalizers()).containsExactly(SpaceCrab.FINALIZER);
    assertThat(Conditions.find(blocked.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .contains("group ops").contains("AccessDenied");
    assertThat(world.iamUsers()).containsExactly(userName);

    denied.lift();
    await().atMost(RealServerFixture.WAIT).until(() -> world.client().resource(ready).get() == null);
    assertThat(world.iamUsers()).isEmpty();
  }

  @Test
  void deletingTheNamespaceRemovesTokenUserAndSecretAndTheNamespaceGoes() {
    String doomed = world.namespace("doomed");
    HoneyToken ready = world.awaitReady(world.client().resource(Tokens.token(doomed, "deploy", "aws-deploy")).create());
    String keyId = ready.getStatus().getAccessKeyId();
    HoneyToken survivor = world.awaitReady(world.client().resource(Tokens.token(ns, "other", "aws-other")).create());
    assertThat(world.iamUsers()).hasSize(2);

    List<String> readyStates = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (LogCapture logs = new LogCapture(); Watch watch = world.client().resources(HoneyToken.class).inNamespace(doomed).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, HoneyToken t) {
        if (t.getStatus() != null) {
          Conditions.find(t.getStatus().getConditions(), Conditions.READY)
              .ifPresent(c -> readyStates.add(c.getStatus() + "/" + c.getReason()));
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    })) {
      world.cluster.kubectl(List.of("delete", "namespace", doomed, "--wait=false")).ok();

      await().atMost(RealServerFixture.WAIT).untilAsserted(() -> {
        assertThat(world.client().resource(ready).get()).isNull();
        assertThat(world.client().namespaces().withName(doomed).get()).isNull();
      });
      // the namespace controller may delete the Secret before the token (it goes through the resource
      // types in no fixed order): writing it back is refused (403, NamespaceTerminating), which is no failure
      assertThat(logs.lines()).as("operator log while the namespace went")
          .noneMatch(line -> line.contains("reconcile of " + doomed + "/deploy failed"));
    }
    assertThat(readyStates).as("Ready as the token was seen while its namespace went").containsOnly("True/Issued");
    assertThat(world.iamUsers()).containsExactly(survivor.getStatus().getUserName());
    assertThat(world.registry.get(keyId).orElseThrow().state()).isEqualTo(RegistryState.Retired);
    assertThat(world.client().secrets().inNamespace(doomed).withName("aws-deploy").get()).isNull();
    assertThat(world.client().resource(survivor).get().getStatus().getAccessKeyId())
        .isEqualTo(survivor.getStatus().getAccessKeyId());
  }

  private List<String> writesIn(String namespace) {
    return writes.all().stream().filter(w -> w.contains("/namespaces/" + namespace + "/")).toList();
  }

  static String owned(ManagedFieldsEntry f) {
    return String.valueOf(f.getFieldsV1().getAdditionalProperties());
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
