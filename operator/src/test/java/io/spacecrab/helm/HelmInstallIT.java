package io.spacecrab.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.JarProcess;
import io.spacecrab.testing.KubeTools;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.RealCluster;
import io.spacecrab.testing.Receiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;

/**
 * The README's "Install on a cluster", step by step, on a real API server (etcd, kube-apiserver,
 * kube-controller-manager) with the real helm and kubectl and AWS on moto: {@code helm install},
 * the chart's RBAC checked with {@code kubectl auth can-i}, the jar's operator and detector modes
 * run as processes with TokenRequest tokens of the chart's own ServiceAccounts and the environment
 * the chart rendered into its Deployments (no Pod runs: there is no kubelet), {@code kubectl apply
 * -f examples/}, a ClusterHoneyToken, a namespace deleted, a use of a key → alert → webhook,
 * {@code kubectl delete}, {@code helm upgrade} and {@code helm uninstall}. The steps share one
 * cluster and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HelmInstallIT {
  private static final String NS = "spacecrab-system";
  private static final String RELEASE = "spacecrab";
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR_SA = "system:serviceaccount:" + NS + ":spacecrab-operator";
  private static final String DETECTOR_SA = "system:serviceaccount:" + NS + ":spacecrab-detector";

  static RealCluster cluster;
  static MotoServer moto;
  static LogPipeline pipeline;
  static IamClient adminIam;
  static Path repo;
  static Path logs;
  static final List<JarProcess> processes = new ArrayList<>();
  static JarProcess operator;
  static JarProcess detector;
  static Receiver receiver;

  @BeforeAll
  static void startPeers() throws IOException {
    cluster = RealCluster.withoutCrds(); // the chart installs them
    moto = MotoServer.shared();
    moto.reset();
    adminIam = moto.iam(moto.adminCredentials());
    OperatorUnderTest.createRegistry(moto, OperatorUnderTest.config(moto));
    pipeline = LogPipeline.create(moto, 3, 30);
    receiver = Receiver.answering(200);
    repo = repoRoot();
    logs = Path.of("target", "helm-install-it").toAbsolutePath();
    Files.createDirectories(logs);
  }

  @AfterAll
  static void stopAll() throws InterruptedException {
    for (JarProcess p : processes) {
      p.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void helmInstallDeploysEveryObjectOfTheChart() throws IOException {
    Path values = logs.resolve("values.yaml");
    Files.writeString(values, String.join("\n",
        "clusterId: e2e",
        "aws:",
        "  region: " + MotoServer.REGION,
        "  registryTable: " + OperatorUnderTest.TABLE,
        "  queueUrl: " + pipeline.queueUrl,
        "  endpoint: " + moto.endpoint(),
        "image:",
        "  repository: registry.example.com/spacecrab",
        ""));
    cluster.helm(List.of("install", RELEASE, repo.resolve("helm/spacecrab").toString(), "--namespace", NS,
        "--create-namespace", "-f", values.toString())).ok();

    JsonNode status = JSON.readTree(cluster.helm(List.of("status", RELEASE, "-n", NS, "-o", "json")).ok().stdout());
    assertThat(status.path("info").path("status").asText()).isEqualTo("deployed");
    assertThat(status.path("version").asInt()).isEqualTo(1);

    KubernetesClient k = cluster.client();
    assertThat(k.apiextensions().v1().customResourceDefinitions().list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .contains("honeytokens.spacecrab.io", "clusterhoneytokens.spacecrab.io", "honeytokenalerts.spacecrab.io",
            "alertsinks.spacecrab.io");
    assertThat(k.apps().deployments().inNamespace(NS).list().getItems()).extracting(d -> d.getMetadata().getName())
        .containsExactlyInAnyOrder("spacecrab-operator", "spacecrab-detector");
    assertThat(k.serviceAccounts().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName())
        .contains("spacecrab-operator", "spacecrab-detector");
    assertThat(k.services().inNamespace(NS).list().getItems()).extracting(s -> s.getMetadata().getName())
        .contains("spacecrab-operator-metrics", "spacecrab-detector-metrics");
    assertThat(k.rbac().clusterRoles().withLabel("app.kubernetes.io/instance", RELEASE).list().getItems())
        .extracting(r -> r.getMetadata().getName()).contains("spacecrab-operator", "spacecrab-detector");
    // no Pod runs here (no kubelet): the release is checked by its objects, not by helm's --wait
    assertThat(k.apps().deployments().inNamespace(NS).withName("spacecrab-operator").get().getSpec().getReplicas())
        .isEqualTo(1);
  }

  @Test
  @Order(2)
  void eachComponentMayDoWhatItsCodeCallsAndNothingElse() {
    cluster.kubectl(List.of("create", "namespace", "payments")).ok();
    // the operator
    for (String can : List.of("create secrets -n payments", "list secrets -A", "watch secrets -A",
        "delete secrets -n payments", "create honeytokens.spacecrab.io -n " + NS, "patch honeytokens.spacecrab.io -A",
        "update honeytokens.spacecrab.io/status -n payments", "update clusterhoneytokens.spacecrab.io/finalizers",
        "list namespaces", "create events -n " + NS, "patch leases.coordination.k8s.io -n " + NS,
        "update honeytokenalerts.spacecrab.io/status -n " + NS, "list alertsinks.spacecrab.io -n " + NS,
        "create honeytokenalerts.spacecrab.io -n " + NS, "watch pipelinehealths.spacecrab.io -n " + NS,
        "update pipelinehealths.spacecrab.io/status -n " + NS,
        // where a key was exposed
        "list pods -n payments", "list deployments.apps -n payments", "list replicasets.apps -n payments",
        "list cronjobs.batch -n payments", "list rolebindings.rbac.authorization.k8s.io -n payments",
        "list clusterrolebindings.rbac.authorization.k8s.io", "list clusterroles.rbac.authorization.k8s.io")) {
      assertThat(canI(OPERATOR_SA, can)).as("operator can %s", can).isTrue();
    }
    for (String cannot : List.of("* *", "create events -n payments", "patch namespaces", "delete namespaces",
        "create pods -n payments", "create leases.coordination.k8s.io -n payments",
        "create honeytokenalerts.spacecrab.io -n payments", "escalate clusterroles", "impersonate users",
        "create serviceaccounts/token -n " + NS, "create pipelinehealths.spacecrab.io -n payments",
        // exposure reads are lists, nothing more: no pod logs, exec or changes to workloads and RBAC
        "get pods/log -n payments", "create pods/exec -n payments", "patch deployments.apps -n payments",
        "create rolebindings.rbac.authorization.k8s.io -n payments", "bind clusterroles",
        "update clusterrolebindings.rbac.authorization.k8s.io")) {
      assertThat(canI(OPERATOR_SA, cannot)).as("operator cannot %s", cannot).isFalse();
    }
    // the detector: alerts, token status, its own Events; never a Secret
    for (String can : List.of("create honeytokenalerts.spacecrab.io -n " + NS, "get honeytokens.spacecrab.io -n payments",
        "update honeytokens.spacecrab.io/status -n payments", "create events -n " + NS, "update events -n " + NS,
        "update pipelinehealths.spacecrab.io/status -n " + NS)) {
      assertThat(canI(DETECTOR_SA, can)).as("detector can %s", can).isTrue();
    }
    for (String cannot : List.of("* *", "get secrets -n payments", "get secrets -n " + NS, "list secrets -A",
        "create secrets -n " + NS, "create events -n payments", "update events -n payments",
        "delete honeytokens.spacecrab.io -n payments",
        "list honeytokens.spacecrab.io -A", "update leases.coordination.k8s.io -n " + NS,
        "update pipelinehealths.spacecrab.io/status -n payments")) {
      assertThat(canI(DETECTOR_SA, cannot)).as("detector cannot %s", cannot).isFalse();
    }
    // tenants: the built-in view and edit roles do not reach the token objects (not aggregated)
    cluster.kubectl(List.of("create", "rolebinding", "viewers", "--clusterrole=view", "--user=viewer",
        "-n", "payments")).ok();
    cluster.kubectl(List.of("create", "rolebinding", "editors", "--clusterrole=edit", "--user=editor",
        "-n", "payments")).ok();
    assertThat(canI("viewer", "get configmaps -n payments")).isTrue(); // the binding works at all
    for (String user : List.of("viewer", "editor")) {
      for (String cannot : List.of("list honeytokens.spacecrab.io -n payments",
          "list honeytokenalerts.spacecrab.io -n payments", "list alertsinks.spacecrab.io -n payments")) {
        assertThat(canI(user, cannot)).as("%s cannot %s", user, cannot).isFalse();
      }
    }
  }

  @Test
  @Order(3)
  void theJarRunsAsTheChartsServiceAccountsWithTheSettingsTheChartRendered() {
    operator = start("spacecrab-operator", "spacecrab-operator");
    detector = start("spacecrab-detector", "spacecrab-detector");
    await().atMost(WAIT).untilAsserted(() -> {
      operator.checkAlive();
      detector.checkAlive();
      assertThat(operator.probe("/readyz")).as("operator /readyz").isEqualTo(200);
      assertThat(detector.probe("/readyz")).as("detector /readyz").isEqualTo(200);
    });
    assertThat(operator.probe("/healthz")).isEqualTo(200);
    assertThat(detector.probe("/healthz")).isEqualTo(200);
    // leader election on (the chart's default): the operator holds the Lease in the release namespace
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.client().leases().inNamespace(NS)
        .withName("spacecrab-operator").get()).isNotNull());
  }

  @Test
  @Order(4)
  void kubectlApplyOfTheExamplesPlantsATokenAndTheClusterTokenCoversLabelledNamespaces() throws IOException {
    cluster.kubectl(List.of("create", "namespace", "team-a")).ok();
    cluster.kubectl(List.of("create", "namespace", "team-b")).ok();
    cluster.kubectl(List.of("create", "namespace", "team-sandbox")).ok();
    cluster.kubectl(List.of("label", "namespace", "team-a", "team-b", "team-sandbox",
        "security.example.com/monitored=true")).ok();
    cluster.kubectl(List.of("label", "namespace", "team-sandbox", "environment=sandbox")).ok();

    KubeTools.Result applied = cluster.kubectl(List.of("apply", "-f", repo.resolve("examples").toString()));
    assertThat(applied.exitCode()).as(applied.stderr()).isZero();
    assertThat(applied.stdout()).contains("honeytoken.spacecrab.io/deploy-credentials created",
        "clusterhoneytoken.spacecrab.io/ci-credentials created");

    HoneyToken ready = awaitReady("payments", "deploy-credentials");
    Secret secret = cluster.client().secrets().inNamespace("payments").withName("aws-deploy-credentials").get();
    assertThat(decode(secret, "AWS_ACCESS_KEY_ID")).isEqualTo(ready.getStatus().getAccessKeyId());
    assertThat(adminIam.listAccessKeys(r -> r.userName(ready.getStatus().getUserName())).accessKeyMetadata())
        .extracting(k -> k.accessKeyId()).containsExactly(ready.getStatus().getAccessKeyId());

    await().atMost(WAIT).untilAsserted(() -> {
      for (String ns : List.of("team-a", "team-b")) {
        assertThat(cluster.client().secrets().inNamespace(ns).withName("aws-ci-credentials").get()).as(ns).isNotNull();
      }
      assertThat(cluster.client().secrets().inNamespace("team-sandbox").withName("aws-ci-credentials").get()).isNull();
      assertThat(cht("ci-credentials").path("status").path("ready").asInt()).isEqualTo(2);
    });
    // the children live in the release namespace, out of the tenants' sight
    assertThat(cluster.client().resources(HoneyToken.class).inNamespace(NS).list().getItems())
        .extracting(t -> t.getSpec().getSecret().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
  }

  @Test
  @Order(5)
  void aDeletedNamespaceLosesItsTokenAndItsIamUser() {
    HoneyToken child = childFor("team-b");
    String user = child.getStatus().getUserName();
    assertThat(userExists(user)).isTrue();
    cluster.kubectl(List.of("delete", "namespace", "team-b", "--wait=false")).ok();
    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(cluster.client().namespaces().withName("team-b").get()).isNull();
      assertThat(userExists(user)).as("IAM user %s", user).isFalse();
      assertThat(cluster.client().resources(HoneyToken.class).inNamespace(NS).list().getItems())
          .extracting(t -> t.getSpec().getSecret().getNamespace()).containsExactly("team-a");
      assertThat(cht("ci-credentials").path("status").path("desired").asInt()).isEqualTo(1);
    });
  }

  @Test
  @Order(6)
  void aUseOfThePlantedKeyBecomesAnAlertDeliveredToTheWebhook() {
    cluster.kubectl(String.join("\n",
        "apiVersion: v1",
        "kind: Secret",
        "metadata: {name: e2e-webhook, namespace: " + NS + "}",
        "stringData:",
        "  url: " + receiver.url("/hook"),
        "  signingSecret: whsec_" + Base64.getEncoder().encodeToString("e2e-signing-secret-32-bytes-long".getBytes()),
        "---",
        "apiVersion: spacecrab.io/v1alpha1",
        "kind: AlertSink",
        "metadata: {name: e2e, namespace: " + NS + "}",
        "spec:",
        "  type: webhook",
        "  secretRef: {name: e2e-webhook}",
        "  allowHttp: true",
        "  allowDestinations: [\"127.0.0.1\"]",
        ""), "apply", "-f", "-").ok();

    HoneyToken token = awaitReady("payments", "deploy-credentials");
    var user = adminIam.getUser(r -> r.userName(token.getStatus().getUserName())).user();
    Caller caller = Caller.of(token.getStatus().getAccessKeyId(), user.userId(), user.arn());
    pipeline.put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261202T0700Z_e2e"),
        CloudTrailFiles.gzip(List.of(CloudTrailFiles.record(caller, "e2e-event-1", "2026-12-02T07:00:01Z",
            "sts.amazonaws.com", "GetCallerIdentity", "203.0.113.9"))));

    await().atMost(WAIT).untilAsserted(() -> {
      List<HoneyTokenAlert> alerts = tokenAlerts();
      assertThat(alerts).singleElement().satisfies(a -> {
        assertThat(a.getSpec().getToken().getNamespace()).isEqualTo("payments");
        assertThat(a.getSpec().getSourceIPs()).contains("203.0.113.9");
      });
      assertThat(receiver.requests()).anySatisfy(r -> {
        assertThat(r.path()).isEqualTo("/hook");
        assertThat(r.header("webhook-id")).isNotBlank();
        assertThat(r.body()).contains("203.0.113.9").contains("payments");
      });
    });
    await().atMost(WAIT).untilAsserted(() -> assertThat(Conditions.find(
        cluster.client().resource(token).get().getStatus().getConditions(), Conditions.TRIGGERED)).isPresent());
  }

  /**
   * The self-test as the chart runs it, with the chart's RBAC: the operator made its PipelineHealth
   * object and its first call; a log file with that call reaches the detector, which records it
   * there (and writes no alert).
   */
  @Test
  @Order(7)
  void theSelfTestRunsUnderTheChartsGrants() {
    await().atMost(WAIT).untilAsserted(() -> {
      var health = cluster.client().resources(io.spacecrab.api.v1alpha1.PipelineHealth.class).inNamespace(NS)
          .withName("self-test").get();
      assertThat(health).isNotNull();
      assertThat(health.getStatus()).isNotNull();
      assertThat(health.getStatus().getLastCallTime()).isNotNull();
      assertThat(Conditions.find(health.getStatus().getConditions(), "SelfTestCalling").orElseThrow().getStatus())
          .isEqualTo("True");
    });
    var record = OperatorUnderTest.aws(moto, OperatorUnderTest.config(moto), List.of())
        .registry(OperatorUnderTest.TABLE).scanAll().stream()
        .filter(r -> r.uid() != null && r.uid().startsWith(io.spacecrab.api.SpaceCrab.SELF_TEST_UID + "-")).findFirst().orElseThrow();
    Caller self = Caller.of(record.accessKeyId(), record.principalId(), record.userArn());
    var use = CloudTrailFiles.record(self, "e2e-self-test-1", java.time.Instant.now().toString(), "sts.amazonaws.com",
        "GetCallerIdentity", "192.0.2.10");
    use.remove("errorCode");
    use.remove("errorMessage");
    int alertsBefore = tokenAlerts().size();
    pipeline.put(LogPipeline.BUCKET, CloudTrailFiles.logKey(self.accountId(), "20261202T0800Z_self"),
        CloudTrailFiles.gzip(List.of(use)));
    await().atMost(WAIT).untilAsserted(() -> assertThat(cluster.client()
        .resources(io.spacecrab.api.v1alpha1.PipelineHealth.class).inNamespace(NS).withName("self-test").get()
        .getStatus().getS3()).isNotNull());
    assertThat(tokenAlerts()).hasSize(alertsBefore);
  }

  /** The alerts about token uses (a PipelineDown notice may join them: nothing feeds EventBridge here). */
  private static List<HoneyTokenAlert> tokenAlerts() {
    return cluster.client().resources(HoneyTokenAlert.class).inNamespace(NS).list().getItems().stream()
        .filter(a -> !io.spacecrab.api.SpaceCrab.PIPELINE_DOWN.equals(a.getSpec().getReason())).toList();
  }

  @Test
  @Order(7)
  void kubectlDeleteRemovesTheIamUser() {
    HoneyToken token = awaitReady("payments", "deploy-credentials");
    String user = token.getStatus().getUserName();
    cluster.kubectl(List.of("delete", "-f", repo.resolve("examples/honeytoken.yaml").toString(), "--wait=true",
        "--timeout=90s")).ok();
    assertThat(userExists(user)).isFalse();
    assertThat(cluster.client().secrets().inNamespace("payments").withName("aws-deploy-credentials").get()).isNull();
  }

  @Test
  @Order(8)
  void helmUpgradeKeepsTheValuesAndAppliesTheChange() throws IOException {
    cluster.helm(List.of("upgrade", RELEASE, repo.resolve("helm/spacecrab").toString(), "-n", NS, "--reuse-values",
        "--set", "detector.replicas=3")).ok();
    JsonNode status = JSON.readTree(cluster.helm(List.of("status", RELEASE, "-n", NS, "-o", "json")).ok().stdout());
    assertThat(status.path("info").path("status").asText()).isEqualTo("deployed");
    assertThat(status.path("version").asInt()).isEqualTo(2);
    Deployment d = cluster.client().apps().deployments().inNamespace(NS).withName("spacecrab-detector").get();
    assertThat(d.getSpec().getReplicas()).isEqualTo(3);
    assertThat(env(d).get("SPACECRAB_QUEUE_URL")).isEqualTo(pipeline.queueUrl); // reused, not reset
  }

  @Test
  @Order(9)
  void theDetectorStopsCleanlyAndHelmUninstallKeepsTheCrds() throws Exception {
    operator.checkAlive(); // kept its Lease the whole time (it exits when it loses it)
    detector.checkAlive();
    assertThat(detector.stop(Duration.ofSeconds(60))).as("detector exit code on SIGTERM").isIn(0, 143);
    assertThat(detector.log()).contains("stopping").doesNotContain("Exception in thread");
    operator.stop(Duration.ofSeconds(30));

    cluster.helm(List.of("uninstall", RELEASE, "-n", NS)).ok();
    KubernetesClient k = cluster.client();
    assertThat(k.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
    assertThat(k.serviceAccounts().inNamespace(NS).withName("spacecrab-operator").get()).isNull();
    assertThat(k.rbac().clusterRoles().withName("spacecrab-operator").get()).isNull();
    // crds.keep (the default): the CRDs, and with them every token object, survive an uninstall
    assertThat(k.apiextensions().v1().customResourceDefinitions().withName("honeytokens.spacecrab.io").get())
        .isNotNull();
    assertThat(cht("ci-credentials").path("metadata").path("name").asText()).isEqualTo("ci-credentials");
  }

  // --- helpers

  /** Runs the jar as the Deployment's container would: its args and env, a token of its ServiceAccount. */
  private static JarProcess start(String deployment, String serviceAccount) {
    Deployment d = cluster.client().apps().deployments().inNamespace(NS).withName(deployment).get();
    assertThat(d.getSpec().getTemplate().getSpec().getServiceAccountName()).isEqualTo(serviceAccount);
    Container c = d.getSpec().getTemplate().getSpec().getContainers().get(0);
    Map<String, String> env = env(d);
    // a Pod has its own network namespace; here both processes share the host's
    env.put("SPACECRAB_METRICS_PORT", Integer.toString(freePort()));
    String token = cluster.serviceAccountToken(NS, serviceAccount, Duration.ofHours(1));
    env.put("KUBECONFIG", cluster.kubeconfigFor(token).toString());
    // what IRSA would give the pod: credentials for the AWS side (moto)
    var creds = moto.adminCredentials().resolveCredentials();
    env.put("AWS_ACCESS_KEY_ID", creds.accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", creds.secretAccessKey());
    env.put("LOG_LEVEL", "INFO");
    JarProcess p = JarProcess.start(c.getArgs(), env, logs.resolve(deployment + ".log"));
    processes.add(p);
    return p;
  }

  /** The container's environment as the kubelet would resolve it (fieldRefs to the Pod's name and namespace). */
  private static Map<String, String> env(Deployment d) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()) {
      if (e.getValueFrom() == null) {
        env.put(e.getName(), e.getValue());
      } else {
        String path = e.getValueFrom().getFieldRef().getFieldPath();
        env.put(e.getName(), switch (path) {
          case "metadata.namespace" -> NS;
          case "metadata.name" -> d.getMetadata().getName() + "-0";
          default -> throw new IllegalStateException("unexpected fieldRef " + path);
        });
      }
    }
    return env;
  }

  /** {@code kubectl auth can-i}; "verb resource/subresource" asks about the subresource (not an object name). */
  private static boolean canI(String who, String what) {
    List<String> args = new ArrayList<>(List.of("auth", "can-i"));
    for (String word : what.split(" ")) {
      int slash = word.indexOf('/');
      if (slash > 0 && !word.startsWith("-")) {
        args.add(word.substring(0, slash));
        args.add("--subresource=" + word.substring(slash + 1));
      } else {
        args.add(word);
      }
    }
    args.add("--as=" + who);
    KubeTools.Result r = cluster.kubectl(args);
    // exit 0 and "yes", or exit 1 and "no"; anything else is a broken question
    assertThat(r.stdout().trim()).as("kubectl auth can-i %s --as=%s: %s", what, who, r.stderr()).isIn("yes", "no");
    return r.exitCode() == 0;
  }

  private static HoneyToken awaitReady(String namespace, String name) {
    return await().atMost(WAIT).ignoreExceptions().until(() -> {
      operator.checkAlive();
      HoneyToken t = cluster.client().resources(HoneyToken.class).inNamespace(namespace).withName(name).get();
      return t != null && t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
          .map(c -> "True".equals(c.getStatus())).orElse(false) ? t : null;
    }, t -> t != null);
  }

  private static HoneyToken childFor(String namespace) {
    return cluster.client().resources(HoneyToken.class).inNamespace(NS).list().getItems().stream()
        .filter(t -> namespace.equals(t.getSpec().getSecret().getNamespace())).findFirst().orElseThrow();
  }

  private static JsonNode cht(String name) throws IOException {
    return JSON.readTree(cluster.kubectl(List.of("get", "clusterhoneytoken", name, "-o", "json")).ok().stdout());
  }

  private static boolean userExists(String user) {
    try {
      adminIam.getUser(r -> r.userName(user));
      return true;
    } catch (NoSuchEntityException e) {
      return false;
    }
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private static int freePort() {
    try (var s = new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Path repoRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("helm/spacecrab"))) {
      dir = dir.getParent();
    }
    return java.util.Objects.requireNonNull(dir, "no helm/spacecrab above the working directory");
  }
}
