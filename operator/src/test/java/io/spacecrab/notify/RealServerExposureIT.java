package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.spacecrab.api.v1alpha1.AlertExposure;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.detect.AlertWriter;
import io.spacecrab.detect.CloudTrailRecord;
import io.spacecrab.detect.TokenMatch;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.testing.AlertSinks;
import io.spacecrab.testing.RealServerFixture;
import io.spacecrab.testing.Receiver;
import io.spacecrab.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a key was exposed, read from a real API server: its Deployments, ReplicaSets, Pods,
 * CronJobs, Roles and RoleBindings as the server stores them, and the cluster's own bootstrap
 * ClusterRoles and ClusterRoleBindings (aggregated by kube-controller-manager), end to end to the
 * webhook body a real local HTTP server receives.
 */
class RealServerExposureIT {
  static final String SIGNING = AlertSinks.SIGNING_SECRET;
  static final ObjectMapper JSON = new ObjectMapper();

  RealServerFixture world;
  Receiver receiver;

  @AfterEach
  void tearDown() {
    AlertSinks.closeAll(receiver, world);
  }

  @Test
  void theWebhookNamesTheWorkloadsAndBindingsThatCanReadTheTokensSecret() throws Exception {
    world = RealServerFixture.start();
    String tenant = world.namespace("exposed");
    HoneyToken token = world.client().resource(Tokens.token(tenant, "ledger-creds", "aws-creds")).create();
    token = world.awaitReady(token);
    var k = world.client();
    await().atMost(RealServerFixture.WAIT).until(() -> k.serviceAccounts().inNamespace(tenant).withName("default")
        .get() != null);

    // the cluster here runs no deployment or replicaset controller: the ReplicaSet and its Pod are
    // created with the owner references those controllers write
    Deployment ledger = k.resource(new DeploymentBuilder().withMetadata(meta(tenant, "ledger")).withNewSpec()
        .withNewSelector().withMatchLabels(Map.of("app", "ledger")).endSelector()
        .withTemplate(new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "ledger")).endMetadata()
            .withSpec(mounting()).build()).endSpec().build()).create();
    ReplicaSet rs = k.resource(new ReplicaSetBuilder().withMetadata(new ObjectMetaBuilder().withName("ledger-5d8f")
        .withNamespace(tenant).withLabels(Map.of("app", "ledger")).withOwnerReferences(owner(ledger)).build())
        .withNewSpec().withReplicas(1).withNewSelector().withMatchLabels(Map.of("app", "ledger")).endSelector()
        .withTemplate(new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "ledger")).endMetadata()
            .withSpec(mounting()).build()).endSpec().build()).create();
    k.resource(new PodBuilder().withMetadata(new ObjectMetaBuilder().withName("ledger-5d8f-x2k9q").withNamespace(tenant)
        .withLabels(Map.of("app", "ledger")).withOwnerReferences(owner(rs)).build()).withSpec(mounting()).build())
        .create();
    k.resource(new CronJobBuilder().withMetadata(meta(tenant, "nightly-report")).withNewSpec()
        .withSchedule("0 3 * * *").withNewJobTemplate().withNewSpec().withTemplate(new PodTemplateSpecBuilder()
            .withSpec(new PodSpecBuilder().withRestartPolicy("Never").addNewContainer().withName("report")
                .withImage("registry.example/report:1").addNewEnvFrom().withNewSecretRef().withName("aws-creds")
                .endSecretRef().endEnvFrom().endContainer().build()).build()).endSpec().endJobTemplate()
        .endSpec().build()).create();
    // a workload that refers to another Secret, and one whose ServiceAccount may read this one through RBAC
    k.resource(new SecretBuilder().withMetadata(meta(tenant, "other")).addToStringData("k", "v").build()).create();
    k.resource(new PodBuilder().withMetadata(meta(tenant, "unrelated")).withSpec(new PodSpecBuilder()
        .addNewVolume().withName("o").withNewSecret().withSecretName("other").endSecret().endVolume()
        .addNewContainer().withName("c").withImage("registry.example/c:1").endContainer().build()).build()).create();
    k.resource(new ServiceAccountBuilder().withMetadata(meta(tenant, "ci")).build()).create();
    k.resource(new PodBuilder().withMetadata(meta(tenant, "ci-runner")).withSpec(new PodSpecBuilder()
        .withServiceAccountName("ci").addNewContainer().withName("c").withImage("registry.example/ci:1").endContainer()
        .build()).build()).create();
    k.resource(new RoleBuilder().withMetadata(meta(tenant, "read-aws-creds")).withRules(new PolicyRuleBuilder()
        .withApiGroups("").withResources("secrets").withResourceNames("aws-creds").withVerbs("get").build()).build())
        .create();
    k.resource(new RoleBuilder().withMetadata(meta(tenant, "read-other")).withRules(new PolicyRuleBuilder()
        .withApiGroups("").withResources("secrets").withResourceNames("other").withVerbs("get").build()).build())
        .create();
    k.resource(new RoleBindingBuilder().withMetadata(meta(tenant, "ci-reads-creds")).withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-aws-creds").endRoleRef()
        .addNewSubject().withKind("ServiceAccount").withName("ci").withNamespace(tenant).endSubject().build()).create();
    k.resource(new RoleBindingBuilder().withMetadata(meta(tenant, "others-read-other")).withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName("read-other").endRoleRef()
        .addNewSubject().withKind("User").withName("mallory").withApiGroup("rbac.authorization.k8s.io").endSubject()
        .build()).create();
    // the built-in edit role, aggregated by kube-controller-manager, lets a team read every Secret of the namespace
    k.resource(new RoleBindingBuilder().withMetadata(meta(tenant, "team-edit")).withNewRoleRef()
        .withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("edit").endRoleRef()
        .addNewSubject().withKind("Group").withName("team-ledger").withApiGroup("rbac.authorization.k8s.io")
        .endSubject().build()).create();

    receiver = Receiver.answering(200);
    sink(world.system, "hooks", receiver.url("/hook"));
    AlertWriter detector = new AlertWriter(k, world.system, Duration.ofHours(1),
        new EventRecorder(k, "spacecrab-detector", Set.of(world.system), EventRecorder.pod(world.system)),
        Clock.systemUTC());
    RegistryRecord entry = new RegistryRecord(token.getStatus().getAccessKeyId(), "AIDAEXPOSED0000000001",
        token.getStatus().getUserName(), "arn:aws:iam::123456789012:user/" + token.getStatus().getUserName(), "test-cluster", tenant,
        "ledger-creds", token.getMetadata().getUid(), "team-ledger", "here", "notes", null, RegistryState.Active, null, null);
    detector.record(entry, List.of(use(entry, "evt-0")));

    await().atMost(RealServerFixture.WAIT).until(() -> receiver.requests().size() == 1);
    JsonNode exposure = JSON.readTree(receiver.requests().get(0).body()).at("/data/exposure");
    System.out.println("[exposure] " + exposure);
    assertThat(exposure.at("/state").asText()).isEqualTo("Known");
    assertThat(exposure.at("/secret/namespace").asText()).isEqualTo(tenant);
    assertThat(exposure.at("/secret/name").asText()).isEqualTo("aws-creds");
    List<String> workloads = new ArrayList<>();
    exposure.at("/workloads").forEach(w -> workloads.add(w.at("/kind").asText() + "/" + w.at("/name").asText() + " "
        + w.at("/via")));
    assertThat(workloads).containsExactly("CronJob/nightly-report [\"envFrom\"]", "Deployment/ledger [\"volume\"]",
        "Pod/ci-runner [\"serviceAccount\"]");
    List<String> readers = new ArrayList<>();
    exposure.at("/readers").forEach(r -> readers.add(r.at("/kind").asText() + " " + r.at("/name").asText() + " "
        + r.at("/binding").asText() + " " + r.at("/verbs")));
    assertThat(readers).as("the RoleBindings of the namespace first").startsWith(
        "ServiceAccount ci RoleBinding/ci-reads-creds [\"get\"]",
        "Group team-ledger RoleBinding/team-edit [\"get\",\"list\",\"watch\"]");
    assertThat(readers).noneMatch(r -> r.contains("mallory"));
    assertThat(readers).as("cluster-wide readers such as cluster-admin's system:masters")
        .anyMatch(r -> r.startsWith("Group system:masters ClusterRoleBinding/cluster-admin"));

    HoneyTokenAlert alert = k.resources(HoneyTokenAlert.class).inNamespace(world.system).list().getItems().get(0);
    AlertExposure recorded = alert.getStatus().getExposure();
    assertThat(recorded.getState()).isEqualTo("Known");
    assertThat(recorded.getWorkloads()).hasSize(3);
    assertThat(recorded.getReaders().size() + (recorded.getReadersTruncated() == null ? 0
        : recorded.getReadersTruncated())).isGreaterThanOrEqualTo(readers.size());
    assertThat(recorded.getReaders()).hasSizeLessThanOrEqualTo(SecretExposure.CAP);

    // a second use updates the incident; the exposure is the one read before the first notification
    String observed = recorded.getObservedAt();
    k.resource(new PodBuilder().withMetadata(meta(tenant, "late")).withSpec(mounting()).build()).create();
    detector.record(entry, List.of(use(entry, "evt-1")));
    await().atMost(RealServerFixture.WAIT).until(() -> k.resources(HoneyTokenAlert.class).inNamespace(world.system)
        .list().getItems().get(0).getSpec().getEventCount() == 2);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      AlertExposure now = k.resources(HoneyTokenAlert.class).inNamespace(world.system).list().getItems().get(0)
          .getStatus().getExposure();
      assertThat(now.getObservedAt()).isEqualTo(observed);
      assertThat(now.getWorkloads()).noneMatch(w -> w.getName().equals("late"));
    });
  }

  private static OwnerReference owner(HasMetadata owner) {
    return new OwnerReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid()).withController(true)
        .withBlockOwnerDeletion(true).build();
  }

  private static io.fabric8.kubernetes.api.model.ObjectMeta meta(String namespace, String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(namespace).build();
  }

  private static PodSpec mounting() {
    return new PodSpecBuilder().addNewVolume().withName("aws").withNewSecret().withSecretName("aws-creds").endSecret()
        .endVolume().addNewContainer().withName("app").withImage("registry.example/ledger:1").addNewVolumeMount()
        .withName("aws").withMountPath("/aws").endVolumeMount().endContainer().build();
  }

  private void sink(String namespace, String name, String url) {
    AlertSinks.webhook(world.client(), namespace, name, url, SIGNING);
  }

  private static TokenMatch use(RegistryRecord token, String eventId) {
    return new TokenMatch(token, new CloudTrailRecord(eventId, Instant.now().toString(), "sts.amazonaws.com",
        "GetCallerIdentity", "us-east-1", "198.51.100.7", "aws-cli/2", null, "IAMUser", token.principalId(),
        token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null), TokenMatch.MatchedBy.ACCESS_KEY_ID);
  }
}
