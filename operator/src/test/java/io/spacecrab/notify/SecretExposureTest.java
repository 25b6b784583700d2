package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.rbac.AggregationRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.spacecrab.api.v1alpha1.AlertExposure;
import io.spacecrab.api.v1alpha1.SecretReader;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SecretExposureTest {
  static final String NS = "payments";
  static final String SECRET = "db-creds";
  static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void findsEveryWayAPodSpecRefersToTheSecret() {
    PodSpec spec = new PodSpecBuilder()
        .addNewVolume().withName("a").withNewSecret().withSecretName(SECRET).endSecret().endVolume()
        .addNewVolume().withName("b").withNewProjected().addNewSource().withNewSecret().withName(SECRET).endSecret()
        .endSource().endProjected().endVolume()
        .addNewInitContainer().withName("init").addNewEnv().withName("K").withNewValueFrom().withNewSecretKeyRef()
        .withName(SECRET).withKey("AWS_ACCESS_KEY_ID").endSecretKeyRef().endValueFrom().endEnv().endInitContainer()
        .addNewContainer().withName("app").addNewEnvFrom().withNewSecretRef().withName(SECRET).endSecretRef()
        .endEnvFrom().endContainer()
        .build();

    assertThat(SecretExposure.references(spec, SECRET)).containsExactly("volume", "projected", "env", "envFrom");
    assertThat(SecretExposure.references(spec, "other-secret")).isEmpty();
  }

  @Test
  void aSecretOfAnotherNameOrAConfigMapOfTheSameNameIsNoReference() {
    PodSpec spec = new PodSpecBuilder()
        .addNewVolume().withName("a").withNewConfigMap().withName(SECRET).endConfigMap().endVolume()
        .addNewVolume().withName("b").withNewSecret().withSecretName(SECRET + "-old").endSecret().endVolume()
        .addNewContainer().withName("app").addNewEnvFrom().withNewConfigMapRef().withName(SECRET).endConfigMapRef()
        .endEnvFrom().endContainer()
        .build();

    assertThat(SecretExposure.references(spec, SECRET)).isEmpty();
  }

  @Test
  void podsAreNamedByTheirTopOwnerAndDeduplicated() {
    ReplicaSet rs = new ReplicaSetBuilder().withMetadata(owned("ledger-7d9f", "Deployment", "ledger")).build();
    Job job = new JobBuilder().withMetadata(owned("nightly-2901", "CronJob", "nightly")).build();
    List<Pod> pods = List.of(
        pod(owned("ledger-7d9f-a", "ReplicaSet", "ledger-7d9f"), mounting()),
        pod(owned("ledger-7d9f-b", "ReplicaSet", "ledger-7d9f"), envFrom()),
        pod(owned("nightly-2901-x", "Job", "nightly-2901"), mounting()),
        pod(owned("db-0", "StatefulSet", "db"), mounting()),
        pod(owned("agent-x", "DaemonSet", "agent"), envFrom()),
        pod(meta("bare"), mounting()),
        pod(owned("orphan-rs-a", "ReplicaSet", "gone-rs"), mounting()),
        pod(meta("unrelated"), new PodSpecBuilder().addNewContainer().withName("c").endContainer().build()));

    AlertExposure exposure = SecretExposure.of(NS, SECRET, reads(pods, List.of(rs), List.of(job), List.of(),
        List.of(), List.of(), List.of(), List.of()), AT);

    assertThat(exposure.getState()).isEqualTo("Known");
    assertThat(exposure.getObservedAt()).isEqualTo("2026-12-01T10:00:00Z");
    assertThat(exposure.getWorkloads()).extracting(w -> w.getKind() + "/" + w.getName() + " " + w.getVia())
        .containsExactly("CronJob/nightly [volume]", "DaemonSet/agent [envFrom]",
            "Deployment/ledger [volume, envFrom]", "Pod/bare [volume]", "ReplicaSet/gone-rs [volume]",
            "StatefulSet/db [volume]");
    assertThat(exposure.getWorkloadsTruncated()).isNull();
    assertThat(exposure.getReaders()).isEmpty();
  }

  @Test
  void podTemplatesCountWithoutPodsAndAScaledDownReplicaSetDoesNot() {
    Deployment scaledToZero = new DeploymentBuilder().withMetadata(meta("batch-api")).withNewSpec().withReplicas(0)
        .withTemplate(new PodTemplateSpecBuilder().withSpec(mounting()).build()).endSpec().build();
    CronJob cron = new CronJobBuilder().withMetadata(meta("report")).withNewSpec().withSchedule("0 * * * *")
        .withNewJobTemplate().withNewSpec().withTemplate(new PodTemplateSpecBuilder().withSpec(envFrom()).build())
        .endSpec().endJobTemplate().endSpec().build();
    ReplicaSet oldRevision = new ReplicaSetBuilder().withMetadata(owned("web-old", "Deployment", "web"))
        .withNewSpec().withReplicas(0).withTemplate(new PodTemplateSpecBuilder().withSpec(mounting()).build())
        .endSpec().build();
    Deployment elsewhere = new DeploymentBuilder().withMetadata(new ObjectMetaBuilder().withName("other")
        .withNamespace("other-ns").build()).withNewSpec()
        .withTemplate(new PodTemplateSpecBuilder().withSpec(mounting()).build()).endSpec().build();

    AlertExposure exposure = SecretExposure.of(NS, SECRET, new SecretExposure.Reads(List.of(), List.of(oldRevision),
        List.of(scaledToZero, elsewhere), List.of(), List.of(), List.of(), List.of(cron), List.of(), List.of(),
        List.of(), List.of()), AT);

    assertThat(exposure.getWorkloads()).extracting(w -> w.getKind() + "/" + w.getName())
        .containsExactly("CronJob/report", "Deployment/batch-api");
  }

  @Test
  void rolesGrantReadByVerbResourceAndName() {
    assertThat(SecretExposure.verbs(List.of(rule(List.of(""), List.of("secrets"), List.of("get")),
        rule(List.of(""), List.of("secrets"), List.of("create", "list"))), SECRET)).containsExactly("get", "list");
    assertThat(SecretExposure.verbs(List.of(rule(List.of("*"), List.of("*"), List.of("*"))), SECRET))
        .containsExactly("*");
    assertThat(SecretExposure.verbs(List.of(rule(List.of(""), List.of("configmaps", "pods"), List.of("get"))),
        SECRET)).isEmpty();
    assertThat(SecretExposure.verbs(List.of(rule(List.of("apps"), List.of("secrets"), List.of("get"))), SECRET))
        .as("secrets of another API group are not these").isEmpty();
    assertThat(SecretExposure.verbs(List.of(rule(List.of(""), List.of("secrets"), List.of("create", "delete",
        "update"))), SECRET)).as("writing is not reading").isEmpty();
    assertThat(SecretExposure.verbs(List.of(named(List.of("other")), named(List.of(SECRET, "x"))), SECRET))
        .containsExactly("watch");
    assertThat(SecretExposure.verbs(List.of(named(List.of("other"))), SECRET)).isEmpty();
  }

  @Test
  void readersComeFromRoleBindingsHereAndClusterRoleBindingsIncludingAggregatedRoles() {
    Role readOne = new RoleBuilder().withMetadata(meta("read-db")).withRules(named(List.of(SECRET))).build();
    Role readOther = new RoleBuilder().withMetadata(meta("read-other")).withRules(named(List.of("other"))).build();
    ClusterRole aggregate = new ClusterRoleBuilder().withNewMetadata().withName("secret-readers").endMetadata()
        .withAggregationRule(new AggregationRuleBuilder().addNewClusterRoleSelector()
            .withMatchLabels(Map.of("example.com/aggregate-to-readers", "true")).endClusterRoleSelector().build())
        .build();
    ClusterRole piece = new ClusterRoleBuilder().withNewMetadata().withName("piece")
        .withLabels(Map.of("example.com/aggregate-to-readers", "true")).endMetadata()
        .withRules(rule(List.of(""), List.of("secrets"), List.of("list", "watch"))).build();
    ClusterRole admin = new ClusterRoleBuilder().withNewMetadata().withName("cluster-admin").endMetadata()
        .withRules(rule(List.of("*"), List.of("*"), List.of("*"))).build();
    ClusterRole view = new ClusterRoleBuilder().withNewMetadata().withName("view").endMetadata()
        .withRules(rule(List.of(""), List.of("pods"), List.of("get"))).build();
    List<RoleBinding> roleBindings = List.of(
        roleBinding("ci-reads", "Role", "read-db", sa("ci", null)),
        roleBinding("other-reads", "Role", "read-other", sa("nope", null)),
        roleBinding("team-aggregate", "ClusterRole", "secret-readers", user("alice"), group("payments-devs")),
        roleBinding("team-view", "ClusterRole", "view", user("bob")),
        new RoleBindingBuilder().withNewMetadata().withName("elsewhere").withNamespace("other-ns").endMetadata()
            .withNewRoleRef().withKind("ClusterRole").withName("cluster-admin").withApiGroup("rbac.authorization.k8s.io")
            .endRoleRef().withSubjects(user("carol")).build());
    List<ClusterRoleBinding> clusterBindings = List.of(
        clusterBinding("system:masters-admin", "cluster-admin", group("system:masters")),
        clusterBinding("argo", "cluster-admin", sa("argocd", "argocd")),
        clusterBinding("viewers", "view", group("everyone")));

    AlertExposure exposure = SecretExposure.of(NS, SECRET, reads(List.of(
            pod(meta("ci-runner"), new PodSpecBuilder().withServiceAccountName("ci").addNewContainer().withName("c")
                .endContainer().build()),
            pod(meta("web"), new PodSpecBuilder().addNewContainer().withName("c").endContainer().build())),
        List.of(), List.of(), roleBindings, List.of(readOne, readOther), clusterBindings,
        List.of(aggregate, piece, admin, view), List.of()), AT);

    assertThat(exposure.getReaders()).extracting(SecretExposureTest::describe).containsExactly(
        "ServiceAccount payments/ci RoleBinding/ci-reads Role/read-db [watch]",
        "Group payments-devs RoleBinding/team-aggregate ClusterRole/secret-readers [list, watch]",
        "User alice RoleBinding/team-aggregate ClusterRole/secret-readers [list, watch]",
        "ServiceAccount argocd/argocd ClusterRoleBinding/argo ClusterRole/cluster-admin [*]",
        "Group system:masters ClusterRoleBinding/system:masters-admin ClusterRole/cluster-admin [*]");
    assertThat(exposure.getWorkloads()).as("a pod whose ServiceAccount may read the Secret is exposed too")
        .extracting(w -> w.getKind() + "/" + w.getName() + " " + w.getVia() + " " + w.getServiceAccount())
        .containsExactly("Pod/ci-runner [serviceAccount] ci");
  }

  @Test
  void everyPodIsExposedWhenAllServiceAccountsMayReadSecrets() {
    ClusterRole reader = new ClusterRoleBuilder().withNewMetadata().withName("reader").endMetadata()
        .withRules(rule(List.of(""), List.of("secrets"), List.of("get"))).build();
    AlertExposure exposure = SecretExposure.of(NS, SECRET, reads(List.of(
            pod(meta("a"), new PodSpecBuilder().addNewContainer().withName("c").endContainer().build()),
            pod(meta("b"), mounting())),
        List.of(), List.of(), List.of(roleBinding("all-sa", "ClusterRole", "reader",
            group("system:serviceaccounts:" + NS))), List.of(), List.of(), List.of(reader), List.of()), AT);

    assertThat(exposure.getWorkloads()).extracting(w -> w.getName() + " " + w.getVia())
        .as("references to the Secret itself first").containsExactly("b [volume, serviceAccount]", "a [serviceAccount]");
  }

  @Test
  void listsAreCappedAtTwentyAndCountTheRest() {
    List<Pod> pods = IntStream.range(0, 25).mapToObj(i -> pod(meta(String.format("p%02d", i)), mounting())).toList();
    ClusterRole reader = new ClusterRoleBuilder().withNewMetadata().withName("reader").endMetadata()
        .withRules(rule(List.of(""), List.of("secrets"), List.of("get"))).build();
    RoleBinding many = roleBinding("many", "ClusterRole", "reader",
        IntStream.range(0, 23).mapToObj(i -> user("u" + i)).toArray(io.fabric8.kubernetes.api.model.rbac.Subject[]::new));

    AlertExposure exposure = SecretExposure.of(NS, SECRET, reads(pods, List.of(), List.of(), List.of(many), List.of(),
        List.of(), List.of(reader), List.of()), AT);

    assertThat(exposure.getWorkloads()).hasSize(20);
    assertThat(exposure.getWorkloads().get(0).getName()).isEqualTo("p00");
    assertThat(exposure.getWorkloadsTruncated()).isEqualTo(5);
    assertThat(exposure.getReaders()).hasSize(20);
    assertThat(exposure.getReadersTruncated()).isEqualTo(3);
  }

  @Test
  void unknownExposureCarriesTheReasonAndNoLists() {
    AlertExposure exposure = SecretExposure.unknown(NS, SECRET, "Forbidden", "403 while listing pods", AT);

    assertThat(exposure.getState()).isEqualTo("Unknown");
    assertThat(exposure.getReason()).isEqualTo("Forbidden");
    assertThat(exposure.getWorkloads()).isEmpty();
    assertThat(exposure.getReaders()).isEmpty();
  }

  // --- fixtures

  private static SecretExposure.Reads reads(List<Pod> pods, List<ReplicaSet> replicaSets, List<Job> jobs,
      List<RoleBinding> roleBindings, List<Role> roles, List<ClusterRoleBinding> clusterRoleBindings,
      List<ClusterRole> clusterRoles, List<Deployment> deployments) {
    return new SecretExposure.Reads(pods, replicaSets, deployments, List.of(), List.of(), jobs, List.of(),
        roleBindings, roles, clusterRoleBindings, clusterRoles);
  }

  private static String describe(SecretReader r) {
    return r.getKind() + " " + (r.getNamespace() == null ? "" : r.getNamespace() + "/") + r.getName() + " "
        + r.getBinding() + " " + r.getRole() + " " + r.getVerbs();
  }

  private static ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NS).build();
  }

  private static ObjectMeta owned(String name, String ownerKind, String ownerName) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NS).withOwnerReferences(new OwnerReferenceBuilder()
        .withKind(ownerKind).withName(ownerName).withController(true).withApiVersion("v1").withUid("u-" + ownerName)
        .build()).build();
  }

  private static Pod pod(ObjectMeta meta, PodSpec spec) {
    return new PodBuilder().withMetadata(meta).withSpec(spec).build();
  }

  private static PodSpec mounting() {
    return new PodSpecBuilder().addNewVolume().withName("aws").withNewSecret().withSecretName(SECRET).endSecret()
        .endVolume().addNewContainer().withName("app").endContainer().build();
  }

  private static PodSpec envFrom() {
    return new PodSpecBuilder().addNewContainer().withName("app").addNewEnvFrom().withNewSecretRef().withName(SECRET)
        .endSecretRef().endEnvFrom().endContainer().build();
  }

  private static PolicyRule rule(List<String> groups, List<String> resources, List<String> verbs) {
    return new PolicyRuleBuilder().withApiGroups(groups).withResources(resources).withVerbs(verbs).build();
  }

  private static PolicyRule named(List<String> names) {
    return new PolicyRuleBuilder().withApiGroups("").withResources("secrets").withResourceNames(names)
        .withVerbs("watch").build();
  }

  private static RoleBinding roleBinding(String name, String roleKind, String role,
      io.fabric8.kubernetes.api.model.rbac.Subject... subjects) {
    return new RoleBindingBuilder().withMetadata(meta(name)).withNewRoleRef().withKind(roleKind).withName(role)
        .withApiGroup("rbac.authorization.k8s.io").endRoleRef().withSubjects(subjects).build();
  }

  private static ClusterRoleBinding clusterBinding(String name, String role,
      io.fabric8.kubernetes.api.model.rbac.Subject... subjects) {
    return new ClusterRoleBindingBuilder().withNewMetadata().withName(name).endMetadata().withNewRoleRef()
        .withKind("ClusterRole").withName(role).withApiGroup("rbac.authorization.k8s.io").endRoleRef()
        .withSubjects(subjects).build();
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject sa(String name, String namespace) {
    return new SubjectBuilder().withKind("ServiceAccount").withName(name).withNamespace(namespace).build();
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject user(String name) {
    return new SubjectBuilder().withKind("User").withName(name).withApiGroup("rbac.authorization.k8s.io").build();
  }

  private static io.fabric8.kubernetes.api.model.rbac.Subject group(String name) {
    return new SubjectBuilder().withKind("Group").withName(name).withApiGroup("rbac.authorization.k8s.io").build();
  }
}
