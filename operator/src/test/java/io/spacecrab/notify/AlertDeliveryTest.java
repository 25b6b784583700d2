package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.AlertEvent;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.Delivery;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.SinkMatch;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.AlertSinks;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Receiver;
import io.spacecrab.testing.Receiver.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ses.SesClient;
import io.spacecrab.testing.OwnJvm;

/** Alert delivery by the real operator to real local HTTP servers and to SES on moto. */
@OwnJvm
class AlertDeliveryTest {
  static final String NS = OperatorUnderTest.NAMESPACE;
  static final String SIGNING = AlertSinks.SIGNING_SECRET;
  static final String ROUTING_KEY = "R0UTINGKEY0123456789abcdefabcdef";

  final MotoServer moto = MotoServer.shared();
  final ObjectMapper json = new ObjectMapper();
  KubeApi kube;
  OperatorConfig config;
  OperatorUnderTest operator;
  Receiver receiver;

  @BeforeEach
  void setUp() {
    moto.reset();
    kube = KubeApi.start();
    kube.createNamespace(NS);
    config = OperatorUnderTest.config(moto, "--delivery-backoff=PT0.2S", "--delivery-backoff-cap=PT1S",
        "--trail-grace=PT1S");
    OperatorUnderTest.createRegistry(moto, config);
    operator = OperatorUnderTest.start(kube, moto, config);
    receiver = Receiver.answering(200);
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    receiver.close();
    kube.close();
  }

  @Test
  void webhookIsSignedTheStandardWayAndDeliveredOnce() throws Exception {
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert alert = alert("incident-1", "payments", "payments-oncall", 3);

    awaitDelivery(alert, "hooks", "Delivered");
    Receiver.Request r = receiver.requests().get(0);
    String id = r.header("webhook-id");
    String timestamp = r.header("webhook-timestamp");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(SIGNING.substring(6)), "HmacSHA256"));
    String expected = "v1," + Base64.getEncoder().encodeToString(
        mac.doFinal((id + "." + timestamp + "." + r.body()).getBytes(StandardCharsets.UTF_8)));
    assertThat(r.header("webhook-signature").split(" ")).contains(expected);
    JsonNode body = json.readTree(r.body());
    assertThat(body.path("schemaVersion").asText()).isEqualTo("spacecrab.io/alert/v1");
    assertThat(r.body()).contains("payments-oncall");
    assertThat(operator.metrics().gauge("spacecrab_alert_last_delivery_timestamp_seconds", "type", "webhook"))
        .isGreaterThan(0);
    assertThat(condition(alert, "Delivered")).isEqualTo("True");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().size() == 1);
  }

  /**
   * A token issued on moto, a Deployment whose ReplicaSet's Pod mounts its Secret and a RoleBinding
   * that lets a ServiceAccount get it: the webhook names the Deployment and the ServiceAccount. (The
   * mock server has no controllers: the ReplicaSet and Pod carry the owner references the
   * controllers write. RealServerExposureIT shows the same on a real API server.)
   */
  @Test
  void theNotificationNamesTheWorkloadsAndSubjectsThatCanReadTheTokensSecret() throws Exception {
    kube.createNamespace("payments");
    var k = kube.client();
    var token = k.resource(io.spacecrab.testing.Tokens.token("payments", "deploy", "aws-creds")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var t = k.resource(token).get();
      return t.getStatus() != null && "aws-creds".equals(t.getStatus().getSecretName());
    });
    var podSpec = new io.fabric8.kubernetes.api.model.PodSpecBuilder().addNewVolume().withName("aws").withNewSecret()
        .withSecretName("aws-creds").endSecret().endVolume().addNewContainer().withName("app").withImage("app:1")
        .endContainer().build();
    var deployment = k.resource(new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata()
        .withName("ledger").withNamespace("payments").endMetadata().withNewSpec().withNewTemplate()
        .withSpec(podSpec).endTemplate().endSpec().build()).create();
    var rs = k.resource(new io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder().withNewMetadata()
        .withName("ledger-5d8f").withNamespace("payments").addNewOwnerReference().withKind("Deployment")
        .withApiVersion("apps/v1").withName("ledger").withUid(deployment.getMetadata().getUid()).withController(true)
        .endOwnerReference().endMetadata().withNewSpec().withReplicas(1).withNewTemplate().withSpec(podSpec)
        .endTemplate().endSpec().build()).create();
    k.resource(new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata().withName("ledger-5d8f-x2k9q")
        .withNamespace("payments").addNewOwnerReference().withKind("ReplicaSet").withApiVersion("apps/v1")
        .withName("ledger-5d8f").withUid(rs.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata().withSpec(podSpec).build()).create();
    k.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBuilder().withNewMetadata().withName("read-creds")
        .withNamespace("payments").endMetadata().addNewRule().withApiGroups("").withResources("secrets")
        .withResourceNames("aws-creds").withVerbs("get").endRule().build()).create();
    k.resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder().withNewMetadata().withName("ci-reads")
        .withNamespace("payments").endMetadata().withNewRoleRef().withKind("Role").withName("read-creds")
        .withApiGroup("rbac.authorization.k8s.io").endRoleRef().addNewSubject().withKind("ServiceAccount")
        .withName("ci").withNamespace("payments").endSubject().build()).create();
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });

    HoneyTokenAlert alert = alert("incident-exposed", "payments", "payments-oncall", 1, Map.of(),
        spec -> spec.setToken(new TokenRef("payments", "deploy", token.getMetadata().getUid())));

    awaitDelivery(alert, "hooks", "Delivered");
    JsonNode exposure = json.readTree(receiver.requests().get(0).body()).at("/data/exposure");
    assertThat(exposure.at("/state").asText()).isEqualTo("Known");
    assertThat(exposure.at("/secret/name").asText()).isEqualTo("aws-creds");
    assertThat(exposure.at("/workloads").toString())
        .isEqualTo("[{\"kind\":\"Deployment\",\"name\":\"ledger\",\"via\":[\"volume\"],\"serviceAccount\":\"default\"}]");
    assertThat(exposure.at("/readers").toString()).isEqualTo("[{\"kind\":\"ServiceAccount\",\"name\":\"ci\","
        + "\"namespace\":\"payments\",\"binding\":\"RoleBinding/ci-reads\",\"role\":\"Role/read-creds\","
        + "\"verbs\":[\"get\"]}]");
    assertThat(operator.metrics().count("spacecrab_alert_exposure_reads_total", "result", "Known")).isEqualTo(1);
  }

  @Test
  void anAlertWhoseExposureCannotBeReadIsDeliveredAnywayAndSaysWhy() throws Exception {
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert alert = alert("incident-gone", "payments", "payments-oncall", 1); // its HoneyToken is gone

    awaitDelivery(alert, "hooks", "Delivered");
    JsonNode exposure = json.readTree(receiver.requests().get(0).body()).at("/data/exposure");
    assertThat(exposure.at("/state").asText()).isEqualTo("Unknown");
    assertThat(exposure.at("/reason").asText()).isEqualTo("TokenNotFound");
    assertThat(exposure.at("/workloads").size()).isZero();
    var recorded = kube.client().resource(alert).get().getStatus().getExposure();
    assertThat(recorded.getState()).isEqualTo("Unknown");
    assertThat(recorded.getMessage()).contains("payments/deploy");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(kube.client().v1().events().inNamespace(NS).list().getItems())
            .anyMatch(e -> "ExposureUnknown".equals(e.getReason()) && e.getMessage().contains("TokenNotFound")));
    assertThat(operator.metrics().count("spacecrab_alert_exposure_reads_total", "result", "TokenNotFound"))
        .isEqualTo(1);
  }

  /**
   * The operator's own alert: a token's key used through moto with no CloudTrail record, so the
   * re-check after the grace period raises UsedWithoutTrail from IAM's record of the use, and the
   * outbox delivers it to a real local webhook receiver once, saying so and naming service and region.
   */
  @Test
  void aUseWithoutCloudTrailRecordIsDeliveredToTheWebhookLikeAnyAlert() throws Exception {
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    kube.createNamespace("payments");
    var token = kube.client().resource(io.spacecrab.testing.Tokens.token("payments", "deploy", "deploy-creds")).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      var t = kube.client().resource(token).get();
      return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
          .map(c -> "True".equals(c.getStatus())).orElse(false);
    });
    var data = kube.client().secrets().inNamespace("payments").withName("deploy-creds").get().getData();
    var stolen = software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(decoded(data.get("AWS_ACCESS_KEY_ID")),
            decoded(data.get("AWS_SECRET_ACCESS_KEY"))));
    try (var sts = software.amazon.awssdk.services.sts.StsClient.builder().endpointOverride(moto.endpoint())
        .region(Region.of(MotoServer.REGION)).credentialsProvider(stolen)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      sts.getCallerIdentity();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().size() == 1);
    JsonNode body = json.readTree(receiver.requests().get(0).body());
    assertThat(body.path("type").asText()).isEqualTo("alert.opened");
    JsonNode alert = body.path("data");
    assertThat(alert.path("reason").asText()).isEqualTo("UsedWithoutTrail");
    assertThat(alert.path("iamLastUse").path("serviceName").asText()).isEqualTo("sts");
    assertThat(alert.path("iamLastUse").path("region").asText()).isEqualTo(MotoServer.REGION);
    assertThat(alert.path("token").path("namespace").asText()).isEqualTo("payments");
    assertThat(alert.path("token").path("name").asText()).isEqualTo("deploy");
    assertThat(alert.path("eventCount").asLong()).isZero();
    HoneyTokenAlert stored = kube.client().resources(HoneyTokenAlert.class).inNamespace(NS)
        .withName(alert.path("alertName").asText()).get();
    assertThat(stored.getSpec().getReason()).isEqualTo("UsedWithoutTrail");
    awaitDelivery(stored, "hooks", "Delivered");
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> receiver.requests().size() == 1);
  }

  static String decoded(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /**
   * With {@code sendUpdates: false} too: PagerDuty still gets the resolve (it closes the incident),
   * a webhook does not.
   */
  @Test
  void pagerDutyTriggersOnceAndResolvesWithTheSameDedupKeyEvenWithoutUpdates() throws Exception {
    receiver.answerFromNowOn(202);
    sink("pd", SinkType.pagerduty, Map.of("routingKey", ROUTING_KEY), s -> {
      s.setEndpoint(receiver.url("/v2/enqueue"));
      s.setSendUpdates(false);
    });
    try (Receiver hook = Receiver.answering(200)) {
      sink("hook", SinkType.webhook, Map.of("url", hook.url("/hook"), "signingSecret", SIGNING),
          s -> s.setSendUpdates(false));
      HoneyTokenAlert alert = alert("incident-2", "payments", "oncall", 1);
      awaitDelivery(alert, "pd", "Delivered");
      awaitDelivery(alert, "hook", "Delivered");

      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
        HoneyTokenAlert current = kube.client().resource(alert).get();
        current.getSpec().setResolved(true);
        kube.client().resource(current).update();
        return true;
      });
      await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests().size() == 2);
      JsonNode trigger = json.readTree(receiver.requests().get(0).body());
      JsonNode resolve = json.readTree(receiver.requests().get(1).body());
      assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
      assertThat(trigger.path("routing_key").asText()).isEqualTo(ROUTING_KEY);
      assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
      assertThat(resolve.path("dedup_key").asText()).isEqualTo(trigger.path("dedup_key").asText()).isNotBlank();
      assertThat(json.writeValueAsString(kube.client().resource(alert).get().getStatus())).doesNotContain(ROUTING_KEY);
      // the reconcile that sent the resolve to pd decided on hook just before (sinks go by name)
      assertThat(hook.requests()).hasSize(1);
      assertThat(delivery(alert, "hook").getDeliveredKind()).isEqualTo("opened");
    }
  }

  @Test
  void slackHonoursRetryAfterThenDelivers() {
    receiver.then(new Answer(429, Map.of("Retry-After", "1"), "rate_limited"));
    sink("chat", SinkType.slack, Map.of("webhookUrl", receiver.url("/services/T000/B000/XXXX")), s -> { });
    HoneyTokenAlert alert = alert("incident-3", "payments", "oncall", 1);
    Delivery d = awaitDelivery(alert, "chat", "Delivered");
    List<Receiver.Request> requests = receiver.requests();
    assertThat(requests).hasSize(2);
    assertThat(Duration.between(requests.get(0).at(), requests.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(d.getNotifications()).isEqualTo(1);
    assertThat(json(kube.client().resource(alert).get())).doesNotContain("/services/T000/B000/XXXX");
    assertThat(operator.metrics().count("spacecrab_alert_deliveries_total", "type", "slack", "outcome", "retrying"))
        .isEqualTo(1);
    assertThat(operator.metrics().count("spacecrab_alert_deliveries_total", "type", "slack", "outcome", "delivered"))
        .isEqualTo(1);
  }

  @Test
  void aSinkThatIsDownReceivesTheAlertWhenItComesBack() {
    receiver.answerFromNowOn(503);
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert alert = alert("incident-4", "payments", "oncall", 1);
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests().size() >= 3);
    Delivery retrying = delivery(alert, "hooks");
    assertThat(retrying.getState()).isEqualTo("Retrying");
    assertThat(retrying.getLastHttpStatus()).isEqualTo(503);
    assertThat(retrying.getAttempts()).isGreaterThanOrEqualTo(2);
    receiver.answerFromNowOn(200);
    awaitDelivery(alert, "hooks", "Delivered");
  }

  /**
   * The id names the notification (this alert's opened notification to this sink), not the state of
   * the incident when it was sent: the retry after a 503 carries the same webhook-id although the
   * incident grew while the first attempt was in flight, so a receiver that got the first one drops it.
   */
  @Test
  void aRetryCarriesTheSameWebhookIdEvenIfTheIncidentGrewMeanwhile() throws Exception {
    receiver.then(Answer.of(503));
    java.util.concurrent.CountDownLatch release = receiver.holdNext();
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert alert = alert("incident-14", "payments", "oncall", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests().size() == 1);
    kube.client().resources(HoneyTokenAlert.class).inNamespace(NS).withName("incident-14").edit(a -> {
      a.getSpec().setEventCount(2L);
      return a;
    });
    release.countDown();
    awaitDelivery(alert, "hooks", "Delivered");
    List<Receiver.Request> sent = receiver.requests();
    assertThat(sent).hasSize(2);
    assertThat(sent.get(1).header("webhook-id")).as("the retry's webhook-id")
        .isEqualTo(sent.get(0).header("webhook-id"));
    assertThat(json.readTree(sent.get(1).body()).path("data").path("eventCount").asLong())
        .as("the retry carries the incident as it is now").isEqualTo(2);
  }

  @Test
  void badRequestIsFinalAndSaysSo() {
    receiver.answerFromNowOn(400);
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert alert = alert("incident-5", "payments", "oncall", 1);
    Delivery failed = awaitDelivery(alert, "hooks", "Failed");
    assertThat(failed.getLastHttpStatus()).isEqualTo(400);
    assertThat(condition(alert, "Delivered")).isEqualTo("False");
    assertThat(kube.client().v1().events().inNamespace(NS).list().getItems())
        .anyMatch(e -> "DeliveryFailed".equals(e.getReason()));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().size() == 1);
    // the give-up is counted where Prometheus scrapes it
    assertThat(operator.scrape())
        .contains("spacecrab_alert_deliveries_total{outcome=\"failed\",type=\"webhook\"} 1.0")
        .doesNotContain("outcome=\"delivered\",type=\"webhook\"");
  }

  @Test
  void aRedirectToTheMetadataAddressIsNeverFollowed() {
    receiver.answerFromNowOn(302);
    receiver.then(new Answer(302, Map.of("Location", "http://169.254.169.254/latest/meta-data/"), ""));
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert alert = alert("incident-6", "payments", "oncall", 1);
    Delivery d = awaitDelivery(alert, "hooks", "Failed");
    assertThat(d.getLastError()).containsIgnoringCase("redirect");
  }

  /** A host name is resolved at each send: one that resolves to loopback is refused then, for good. */
  @Test
  void privateDestinationsAreRefusedUnlessAllowed() {
    String byName = receiver.url("/hook").replace("127.0.0.1", "localhost");
    sink("hooks", SinkType.webhook, Map.of("url", byName, "signingSecret", SIGNING), s -> s.setAllowDestinations(List.of()));
    await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(sinkReason("hooks")));
    HoneyTokenAlert alert = alert("incident-7", "payments", "oncall", 1);
    Delivery d = awaitDelivery(alert, "hooks", "Failed");
    assertThat(d.getLastError()).contains("http://localhost resolves to loopback address").doesNotContain("/hook");
    assertThat(receiver.requests()).isEmpty();
  }

  /**
   * An AlertSink is checked when it is reconciled, not at its first alert: a Secret naming the cloud
   * metadata address, a file:// URL or a URL with user info, an invalid allow-list entry or signing
   * secret make it Ready=False with a reason, a Warning Event and a message that names scheme://host
   * only. Its alerts wait (Retrying, saying why) instead of failing with a bare exception.
   */
  @Test
  void aSinkThatCannotWorkIsNotReadyAndSaysWhyBeforeAnyAlert() {
    receiver.answerFromNowOn(200);
    sink("metadata", SinkType.webhook, Map.of("url", "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "signingSecret", SIGNING), s -> s.setAllowDestinations(List.of()));
    sink("file", SinkType.slack, Map.of("webhookUrl", "file:///var/run/secrets/kubernetes.io/serviceaccount/token"),
        s -> { });
    sink("userinfo", SinkType.webhook, Map.of("url", "https://admin:hunter2@hooks.example.com/T0/secret-path",
        "signingSecret", SIGNING), s -> { });
    sink("allowlist", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING),
        s -> s.setAllowDestinations(List.of("127.0.0.1", "10.0.0.0/33")));
    sink("signing", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", "whsec_not*base64"),
        s -> { });
    sink("garbled", SinkType.slack, Map.of("webhookUrl", "https://hooks.slack.com/services/T0 B0/XXXX"), s -> { });
    Map<String, String> reasons = Map.of("metadata", "InvalidDestination", "file", "InvalidDestination",
        "userinfo", "InvalidDestination", "allowlist", "InvalidSpec", "signing", "InvalidSecret",
        "garbled", "InvalidDestination");
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> reasons.forEach((sink, reason) ->
        assertThat(sinkReason(sink)).as("Ready reason of AlertSink %s", sink).isEqualTo(reason)));
    reasons.keySet().stream().sorted().forEach(sink -> System.out.println("[sink validation] " + sink + ": "
        + sinkReason(sink) + ": " + sinkMessage(sink)));
    assertThat(sinkMessage("metadata")).contains("http://169.254.169.254").contains("cloud metadata");
    assertThat(sinkMessage("file")).contains("scheme file is not allowed");
    assertThat(sinkMessage("userinfo")).contains("https://hooks.example.com").contains("user info");
    assertThat(sinkMessage("allowlist")).contains("spec.allowDestinations").contains("10.0.0.0/33");
    assertThat(sinkMessage("signing")).contains("signingSecret");
    assertThat(sinkMessage("garbled")).contains("not a valid URL");
    List<String> told = new java.util.ArrayList<>();
    reasons.keySet().forEach(sink -> told.add(sinkMessage(sink)));
    kube.client().v1().events().inNamespace(NS).list().getItems().forEach(e -> told.add(e.getMessage()));
    assertThat(String.join("\n", told)).doesNotContain("meta-data", "serviceaccount", "admin", "hunter2",
        "secret-path", "/services/", "not*base64", "IllegalArgumentException");
    for (String sink : reasons.keySet()) {
      assertThat(sinkStatus(sink).getConditions()).singleElement()
          .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    }

    HoneyTokenAlert alert = alert("incident-15", "payments", "oncall", 1);
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      for (String sink : reasons.keySet()) {
        Delivery d = delivery(alert, sink);
        assertThat(d.getState()).as("delivery to %s", sink).isEqualTo("Retrying");
        assertThat(d.getLastError()).as("delivery to %s", sink).contains("AlertSink " + sink + " cannot be used")
            .contains(reasons.get(sink)).doesNotContain("IllegalArgumentException", "hunter2", "meta-data");
      }
    });
    assertThat(receiver.requests()).isEmpty();
  }

  @Test
  void anAttackersManyCallsPageOnceWithABoundedNumberOfUpdates() {
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING),
        s -> s.setMinUpdateInterval("PT2S"));
    HoneyTokenAlert alert = alert("incident-8", "payments", "oncall", 1);
    awaitDelivery(alert, "hooks", "Delivered");
    for (long count = 2; count <= 50; count++) {
      long n = count;
      await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
        HoneyTokenAlert current = kube.client().resource(alert).get();
        current.getSpec().setEventCount(n);
        kube.client().resource(current).update();
        return true;
      });
    }
    await().atMost(Duration.ofSeconds(15)).until(() -> {
      Delivery d = delivery(alert, "hooks");
      return d.getDeliveredEventCount() != null && d.getDeliveredEventCount() == 50;
    });
    List<Receiver.Request> sent = receiver.requests();
    assertThat(sent.size()).as("notifications for 50 events").isBetween(2, 10);
    for (int i = 2; i < sent.size(); i++) {
      assertThat(Duration.between(sent.get(i - 1).at(), sent.get(i).at())).as("spacing of updates")
          .isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }
    assertThat(sent).extracting(r -> json.readTree(r.body()).path("type").asText())
        .first().isEqualTo("alert.opened");
  }

  @Test
  void aRestartNeitherRepeatsADeliveryNorLosesAPendingOne() {
    Receiver second = Receiver.answering(503);
    try {
      sink("first", SinkType.webhook, Map.of("url", receiver.url("/a"), "signingSecret", SIGNING), s -> { });
      sink("second", SinkType.webhook, Map.of("url", second.url("/b"), "signingSecret", SIGNING), s -> { });
      HoneyTokenAlert alert = alert("incident-9", "payments", "oncall", 1);
      awaitDelivery(alert, "first", "Delivered");
      await().atMost(Duration.ofSeconds(10)).until(() -> "Retrying".equals(delivery(alert, "second").getState()));
      operator.close();
      operator = null;
      second.answerFromNowOn(200);
      operator = OperatorUnderTest.start(kube, moto, config);
      awaitDelivery(alert, "second", "Delivered");
      await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().size() == 1);
    } finally {
      second.close();
    }
  }

  @Test
  void missingSecretIsShownOnTheSinkAndDeliveryWaitsForIt() {
    AlertSink sink = sinkWithoutSecret("hooks", SinkType.webhook, "hook-secret");
    await().atMost(Duration.ofSeconds(10)).until(() -> "SecretMissing".equals(sinkReason("hooks")));
    HoneyTokenAlert alert = alert("incident-10", "payments", "oncall", 1);
    await().atMost(Duration.ofSeconds(10)).until(() -> "Retrying".equals(delivery(alert, "hooks").getState()));
    secret("hook-secret", Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING));
    awaitDelivery(alert, "hooks", "Delivered");
    assertThat(sink).isNotNull();
  }

  @Test
  void sinksTakeOnlyTheAlertsTheyMatch() {
    sink("payments-only", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> {
      SinkMatch match = new SinkMatch();
      match.setNamespaces(List.of("payments"));
      s.setMatch(match);
    });
    sink("prod-only", SinkType.webhook, Map.of("url", receiver.url("/prod"), "signingSecret", SIGNING), s -> {
      SinkMatch match = new SinkMatch();
      match.setTokenLabels(new io.fabric8.kubernetes.api.model.LabelSelectorBuilder()
          .addNewMatchExpression().withKey("env").withOperator("In").withValues("prod").endMatchExpression().build());
      s.setMatch(match);
    });
    HoneyTokenAlert other = alert("incident-11", "billing", "oncall", 1);
    HoneyTokenAlert mine = alert("incident-12", "payments", "oncall", 1);
    awaitDelivery(mine, "payments-only", "Delivered");
    awaitDelivery(other, "prod-only", "Delivered");
    assertThat(delivery(mine, "prod-only").getState()).isNull();
    assertThat(delivery(other, "payments-only").getState()).isNull();
  }

  @Test
  void emailGoesThroughSes() {
    try (SesClient ses = SesClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
        .credentialsProvider(moto.adminCredentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
      ses.verifyEmailIdentity(r -> r.emailAddress("alerts@example.com"));
      sink("mail", SinkType.email, Map.of("from", "alerts@example.com"), s -> s.setTo(List.of("soc@example.com")));
      HoneyTokenAlert alert = alert("incident-13", "payments", "oncall", 2);
      awaitDelivery(alert, "mail", "Delivered");
      assertThat(ses.getSendQuota().sentLast24Hours()).isEqualTo(1.0);
    }
  }

  @Test
  void theExampleSinksApplyAsTheyAreAndBecomeReady() throws Exception {
    java.nio.file.Path dir = java.nio.file.Path.of("../examples");
    List<String> names = new java.util.ArrayList<>();
    try (var files = java.nio.file.Files.list(dir)) {
      for (java.nio.file.Path f : files.filter(p -> p.getFileName().toString().startsWith("alertsink-")).toList()) {
        try (var in = java.nio.file.Files.newInputStream(f)) {
          for (var item : kube.client().load(in).items()) {
            kube.client().resource(item).create();
            if ("AlertSink".equals(item.getKind())) {
              names.add(item.getMetadata().getName());
            }
          }
        }
      }
    }
    assertThat(names).containsExactlyInAnyOrder("pagerduty", "slack-payments", "soc", "email-soc");
    for (String name : names) {
      await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(sinkReason(name)));
    }
  }

  /**
   * The cost of one more alert when 80 are already delivered: no live LIST of sinks (they come from
   * the informer's cache) and no write to the sink (per-delivery facts live on the alert), so no
   * sink event fans out to every alert in the namespace.
   */
  @Test
  void oneNewAlertAmongEightyDeliveredCostsNoSinkListAndNoSinkWrite() {
    operator.close();
    SinkCalls calls = new SinkCalls();
    operator = OperatorUnderTest.start(kube, moto, config, List.of(), List.of(calls), null);
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    await().atMost(Duration.ofSeconds(10)).until(() -> "Ready".equals(sinkReason("hooks")));
    for (int i = 0; i < 80; i++) {
      alert("bulk-" + i, "payments", "oncall", 1);
    }
    await().atMost(Duration.ofMinutes(3)).until(() -> kube.client().resources(HoneyTokenAlert.class).inNamespace(NS)
        .list().getItems().stream().filter(a -> a.getStatus() != null && a.getStatus().getDeliveries().stream()
            .anyMatch(d -> "Delivered".equals(d.getState()))).count() == 80);
    settled(calls);
    long listsBefore = calls.lists();
    long writesBefore = calls.statusWrites();

    HoneyTokenAlert extra = alert("incident-81", "payments", "oncall", 1);
    awaitDelivery(extra, "hooks", "Delivered");
    settled(calls);
    System.out.println("[sink reads] one new alert among 80 delivered: " + (calls.lists() - listsBefore)
        + " sink LIST(s), " + (calls.statusWrites() - writesBefore) + " sink status write(s); " + calls.lists()
        + " LISTs and " + calls.statusWrites() + " status writes in all");
    assertThat(calls.lists() - listsBefore).as("live LISTs of AlertSinks for one new alert").isLessThanOrEqualTo(1);
    assertThat(calls.statusWrites()).as("AlertSink status writes in all (the Ready condition only)").isEqualTo(1);
    assertThat(receiver.requests()).hasSize(81);
    assertThat(sinkStatus("hooks").getConditions()).hasSize(1);
  }

  /**
   * One HTTP client per sink configuration, kept between deliveries: twelve notifications to one
   * sink travel over at most as many connections as deliveries run at once (a client per delivery
   * opens one each); a changed sink gets a new client (a new connection) and the old one is
   * closed; a deleted sink's client is closed.
   */
  @Test
  void deliveriesToOneSinkShareOneHttpClientUntilTheSinkChangesOrGoes() {
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    List<HoneyTokenAlert> alerts = new java.util.ArrayList<>();
    for (int i = 0; i < 12; i++) {
      alerts.add(alert("reuse-" + i, "payments", "oncall", 1));
    }
    for (HoneyTokenAlert a : alerts) {
      awaitDelivery(a, "hooks", "Delivered");
    }
    java.util.Set<Integer> connections = receiver.requests().stream().map(Receiver.Request::remotePort)
        .collect(java.util.stream.Collectors.toSet());
    assertThat(receiver.requests()).hasSize(12);
    assertThat(connections).as("connections used by 12 deliveries with %d reconcile threads",
        config.reconcileConcurrency()).hasSizeLessThanOrEqualTo(config.reconcileConcurrency());
    assertThat(operator.metrics().gauge("spacecrab_alert_sink_http_clients")).isEqualTo(1);

    kube.client().resources(AlertSink.class).inNamespace(NS).withName("hooks").edit(s -> {
      s.getSpec().setAllowDestinations(List.of("127.0.0.1", "::1"));
      return s;
    });
    await().atMost(Duration.ofSeconds(10)).until(
        () -> operator.metrics().gauge("spacecrab_alert_sink_http_clients") == 0);
    HoneyTokenAlert after = alert("reuse-after-change", "payments", "oncall", 1);
    awaitDelivery(after, "hooks", "Delivered");
    assertThat(connections).as("the changed sink's client connects anew")
        .doesNotContain(receiver.requests().get(12).remotePort());
    assertThat(operator.metrics().gauge("spacecrab_alert_sink_http_clients")).isEqualTo(1);

    kube.client().resources(AlertSink.class).inNamespace(NS).withName("hooks").delete();
    await().atMost(Duration.ofSeconds(10)).until(
        () -> operator.metrics().gauge("spacecrab_alert_sink_http_clients") == 0);
  }

  static final String SCANNER = "TruffleHog/3.63.2 (+https://github.com/trufflesecurity/trufflehog)";
  static final String CLI = "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0";

  /**
   * Issue 13 part 5: an incident whose calls all come from a known scanner (its address AND its user
   * agent) is recorded, marked suppressed with the rule on the alert, and this sink is told nothing.
   */
  @Test
  void anIncidentOfOnlyKnownScannerCallsIsRecordedAsSuppressedAndNothingIsSent() {
    scannerSink("hooks", List.of("192.0.2.0/28"), s -> { });
    HoneyTokenAlert alert = scannedAlert("scanned-1", List.of(call("s1", "192.0.2.5", SCANNER, 0),
        call("s2", "192.0.2.6", SCANNER, 1)));

    Delivery d = awaitDelivery(alert, "hooks", "Suppressed");
    assertThat(d.getSuppressedCalls()).isEqualTo(2);
    assertThat(d.getSuppressedBy()).containsExactly("trufflehog-ci");
    assertThat(d.getNotifications()).isZero();
    await().atMost(Duration.ofSeconds(10)).until(() -> "Suppressed".equals(conditionReason(alert, "Delivered")));
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().isEmpty());
    HoneyTokenAlert stored = kube.client().resource(alert).get();
    assertThat(stored.getSpec().getEventCount()).as("every call is kept on the alert").isEqualTo(2);
    assertThat(stored.getSpec().getRecentEvents()).extracting(e -> e.getEventID()).containsExactly("s1", "s2");
    assertThat(operator.metrics().count("spacecrab_alert_deliveries_total", "type", "webhook", "outcome",
        "suppressed")).isEqualTo(1);
  }

  /**
   * Issue 13 part 5: a call that is no scanner's, after scanner calls, opens the incident at the sink
   * as usual; the body says which calls were suppressed and by which rule. More scanner calls alone
   * send no update; another attacker call does.
   */
  @Test
  void anAttackerCallAfterScannerCallsIsNotifiedAndTheBodySaysWhichCallsWereSuppressedAndWhy() throws Exception {
    scannerSink("hooks", List.of("192.0.2.0/28"), s -> s.setMinUpdateInterval("PT1S"));
    List<AlertEvent> calls = new java.util.ArrayList<>(List.of(call("s1", "192.0.2.5", SCANNER, 0),
        call("s2", "192.0.2.5", SCANNER, 1)));
    HoneyTokenAlert alert = scannedAlert("scanned-2", calls);
    awaitDelivery(alert, "hooks", "Suppressed");

    calls.add(call("attacker-1", "203.0.113.7", CLI, 5));
    grow(alert, calls);
    Delivery d = awaitDelivery(alert, "hooks", "Delivered");
    assertThat(receiver.requests()).hasSize(1);
    JsonNode body = json.readTree(receiver.requests().get(0).body());
    assertThat(body.path("type").asText()).isEqualTo("alert.opened");
    JsonNode data = body.path("data");
    assertThat(data.path("eventCount").asLong()).isEqualTo(3);
    assertThat(data.path("suppressedCalls").asLong()).isEqualTo(2);
    assertThat(data.path("knownScannerCalls").toString()).isEqualTo("[{\"rule\":\"trufflehog-ci\",\"sourceIp\":"
        + "\"192.0.2.5\",\"userAgent\":\"" + SCANNER + "\",\"calls\":2}]");
    assertThat(data.path("recentEvents")).extracting(e -> e.path("eventId").asText() + ":"
        + e.path("suppressedBy").asText()).containsExactly("s1:trufflehog-ci", "s2:trufflehog-ci", "attacker-1:null");
    assertThat(d.getSuppressedCalls()).isEqualTo(2);
    assertThat(conditionReason(alert, "Delivered")).isEqualTo("Delivered");

    calls.add(call("s3", "192.0.2.5", SCANNER, 6));
    calls.add(call("s4", "192.0.2.6", SCANNER, 7));
    grow(alert, calls);
    await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> receiver.requests().size() == 1);

    calls.add(call("attacker-2", "203.0.113.7", CLI, 8));
    grow(alert, calls);
    await().atMost(Duration.ofSeconds(15)).until(() -> receiver.requests().size() == 2);
    JsonNode update = json.readTree(receiver.requests().get(1).body());
    assertThat(update.path("type").asText()).isEqualTo("alert.updated");
    assertThat(update.at("/data/eventCount").asLong()).isEqualTo(6);
    assertThat(update.at("/data/suppressedCalls").asLong()).isEqualTo(4);
  }

  /** Both must match: a call from the scanner's block with another user agent pages. */
  @Test
  void aCallFromAScannersAddressWithAnotherUserAgentIsNotSuppressed() throws Exception {
    scannerSink("hooks", List.of("192.0.2.0/28"), s -> { });
    HoneyTokenAlert alert = scannedAlert("scanned-3", List.of(call("c1", "192.0.2.5", CLI, 0)));
    Delivery d = awaitDelivery(alert, "hooks", "Delivered");
    assertThat(d.getSuppressedCalls()).isNull();
    JsonNode data = json.readTree(receiver.requests().get(0).body()).path("data");
    assertThat(data.path("suppressedCalls").asLong()).isZero();
    assertThat(data.path("knownScannerCalls")).isEmpty();
    assertThat(data.at("/recentEvents/0/suppressedBy").isNull()).isTrue();
  }

  /** A rule with a bad CIDR makes the sink not Ready, saying which rule and why; the sink then suppresses nothing. */
  @Test
  void aBadKnownScannerRuleMakesTheSinkNotReadyAndSuppressNothing() {
    scannerSink("hooks", List.of("192.0.2.0/28", "192.0.2.0/33"), s -> { });
    await().atMost(Duration.ofSeconds(10)).until(() -> "InvalidKnownScanners".equals(sinkReason("hooks")));
    assertThat(sinkMessage("hooks")).startsWith("spec.knownScanners[0] (trufflehog-ci): prefix length out of range: "
        + "192.0.2.0/33.").contains("notified of every call");
    assertThat(sinkStatus("hooks").getConditions()).singleElement()
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("False"));
    HoneyTokenAlert alert = scannedAlert("scanned-4", List.of(call("s1", "192.0.2.5", SCANNER, 0)));
    awaitDelivery(alert, "hooks", "Delivered");
    assertThat(receiver.requests()).hasSize(1);
  }

  /** Issue 13 part 4: an incident the detector folded into another is told to no sink; the other carries its calls. */
  @Test
  void anIncidentFoldedIntoAnotherIsNotSent() {
    sink("hooks", SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> { });
    HoneyTokenAlert folded = alert("folded-1", "payments", "oncall", 2, Map.of(),
        spec -> spec.setMergedInto("survivor-1"));
    HoneyTokenAlert survivor = alert("survivor-1", "payments", "oncall", 3);
    awaitDelivery(survivor, "hooks", "Delivered");
    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> receiver.requests().size() == 1);
    assertThat(delivery(folded, "hooks").getNotifications()).isNull();
  }

  AlertSink scannerSink(String name, List<String> cidrs, java.util.function.Consumer<AlertSinkSpec> edit) {
    return sink(name, SinkType.webhook, Map.of("url", receiver.url("/hook"), "signingSecret", SIGNING), s -> {
      io.spacecrab.api.v1alpha1.KnownScanner rule = new io.spacecrab.api.v1alpha1.KnownScanner();
      rule.setName("trufflehog-ci");
      rule.setCidrs(cidrs);
      rule.setUserAgents(List.of("trufflehog"));
      s.setKnownScanners(List.of(rule));
      edit.accept(s);
    });
  }

  static AlertEvent call(String id, String ip, String agent, int minute) {
    AlertEvent e = new AlertEvent();
    e.setEventID(id);
    e.setEventTime(java.time.Instant.parse("2026-11-30T21:00:00Z").plusSeconds(60L * minute).toString());
    e.setEventSource("sts.amazonaws.com");
    e.setEventName("GetCallerIdentity");
    e.setSourceIPAddress(ip);
    e.setUserAgent(agent);
    return e;
  }

  /** An alert with these calls, as the detector writes it: count, callers per (address, agent), recent calls. */
  HoneyTokenAlert scannedAlert(String name, List<AlertEvent> calls) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setToken(new TokenRef("payments", "deploy", "uid-" + name));
    spec.setOwner("oncall");
    spec.setCluster("test-cluster");
    spec.setTokenState("Active");
    spec.setIncident(1);
    alert.setSpec(spec);
    withCalls(spec, calls);
    return kube.client().resource(alert).create();
  }

  void grow(HoneyTokenAlert alert, List<AlertEvent> calls) {
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().until(() -> {
      HoneyTokenAlert current = kube.client().resource(alert).get();
      withCalls(current.getSpec(), calls);
      kube.client().resource(current).update();
      return true;
    });
  }

  static void withCalls(HoneyTokenAlertSpec spec, List<AlertEvent> calls) {
    spec.setEventCount((long) calls.size());
    spec.setFirstSeen(calls.get(0).getEventTime());
    spec.setLastSeen(calls.get(calls.size() - 1).getEventTime());
    spec.setRecentEvents(new java.util.ArrayList<>(calls));
    Map<List<String>, Long> pairs = new java.util.LinkedHashMap<>();
    calls.forEach(c -> pairs.merge(List.of(c.getSourceIPAddress(), c.getUserAgent()), 1L, Long::sum));
    spec.setCallers(pairs.entrySet().stream().map(p -> new io.spacecrab.api.v1alpha1.AlertCaller(p.getKey().get(0),
        p.getKey().get(1), p.getValue())).collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new)));
    spec.setSourceIPs(calls.stream().map(AlertEvent::getSourceIPAddress).distinct().toList());
    spec.setUserAgents(calls.stream().map(AlertEvent::getUserAgent).distinct().toList());
    spec.setEventNames(List.of("sts:GetCallerIdentity"));
  }

  String conditionReason(HoneyTokenAlert alert, String type) {
    HoneyTokenAlert current = kube.client().resource(alert).get();
    return current.getStatus() == null ? null : Conditions.find(current.getStatus().getConditions(), type)
        .map(c -> c.getReason()).orElse(null);
  }

  /** Waits until the operator's client has made no sink request for two polls in a row. */
  static void settled(SinkCalls calls) {
    long[] last = {-1};
    await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(750)).until(() -> {
      long now = calls.lists() + calls.statusWrites();
      boolean same = now == last[0];
      last[0] = now;
      return same;
    });
  }

  /** Counts the operator's live LISTs of AlertSinks (not its watches) and its writes of their status. */
  static final class SinkCalls implements io.fabric8.kubernetes.client.http.Interceptor {
    private final java.util.concurrent.atomic.AtomicLong lists = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong statusWrites = new java.util.concurrent.atomic.AtomicLong();

    @Override
    public void before(io.fabric8.kubernetes.client.http.BasicBuilder builder,
        io.fabric8.kubernetes.client.http.HttpRequest request, RequestTags tags) {
      String path = request.uri().getPath();
      String query = request.uri().getQuery() == null ? "" : request.uri().getQuery();
      if ("GET".equals(request.method()) && path.endsWith("/alertsinks") && !query.contains("watch=true")) {
        lists.incrementAndGet();
      }
      if (!"GET".equals(request.method()) && path.contains("/alertsinks/") && path.endsWith("/status")) {
        statusWrites.incrementAndGet();
      }
    }

    long lists() {
      return lists.get();
    }

    long statusWrites() {
      return statusWrites.get();
    }
  }

  // --- helpers

  AlertSink sink(String name, SinkType type, Map<String, String> secret, java.util.function.Consumer<AlertSinkSpec> edit) {
    secret(name + "-secret", secret);
    return sinkWithoutSecret(name, type, name + "-secret", edit);
  }

  AlertSink sinkWithoutSecret(String name, SinkType type, String secretName) {
    return sinkWithoutSecret(name, type, secretName, s -> { });
  }

  AlertSink sinkWithoutSecret(String name, SinkType type, String secretName,
      java.util.function.Consumer<AlertSinkSpec> edit) {
    return AlertSinks.sink(kube.client(), NS, name, type, secretName, edit);
  }

  void secret(String name, Map<String, String> values) {
    AlertSinks.secret(kube.client(), NS, name, values);
  }

  HoneyTokenAlert alert(String name, String tokenNamespace, String owner, long count) {
    return alert(name, tokenNamespace, owner, count, Map.of("env", tokenNamespace.equals("billing") ? "prod" : "dev"));
  }

  HoneyTokenAlert alert(String name, String tokenNamespace, String owner, long count, Map<String, String> labels) {
    return alert(name, tokenNamespace, owner, count, labels, spec -> { });
  }

  HoneyTokenAlert alert(String name, String tokenNamespace, String owner, long count, Map<String, String> labels,
      java.util.function.Consumer<HoneyTokenAlertSpec> edit) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NS).build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setToken(new TokenRef(tokenNamespace, "deploy", "uid-" + name));
    spec.setOwner(owner);
    spec.setCluster("test-cluster");
    spec.setTokenState("Active");
    spec.setIncident(1);
    spec.setEventCount(count);
    spec.setFirstSeen("2026-11-30T21:00:00Z");
    spec.setLastSeen("2026-11-30T21:05:00Z");
    spec.setSourceIPs(List.of("198.51.100.7"));
    spec.setUserAgents(List.of("aws-cli/2 <!channel>"));
    spec.setEventNames(List.of("s3:ListBuckets"));
    spec.setTokenLabels(labels);
    edit.accept(spec);
    alert.setSpec(spec);
    return kube.client().resource(alert).create();
  }

  Delivery delivery(HoneyTokenAlert alert, String sink) {
    HoneyTokenAlert current = kube.client().resource(alert).get();
    if (current.getStatus() == null) {
      return new Delivery();
    }
    return current.getStatus().getDeliveries().stream().filter(d -> sink.equals(d.getSink())).findFirst()
        .orElse(new Delivery());
  }

  Delivery awaitDelivery(HoneyTokenAlert alert, String sink, String state) {
    Delivery[] d = new Delivery[1];
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      d[0] = delivery(alert, sink);
      assertThat(d[0].getState()).isEqualTo(state);
    });
    return d[0];
  }

  String condition(HoneyTokenAlert alert, String type) {
    String[] status = new String[1];
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      var current = kube.client().resource(alert).get();
      status[0] = Conditions.find(current.getStatus().getConditions(), type).orElseThrow().getStatus();
    });
    return status[0];
  }

  io.spacecrab.api.v1alpha1.AlertSinkStatus sinkStatus(String name) {
    return kube.client().resources(AlertSink.class).inNamespace(NS).withName(name).get().getStatus();
  }

  String sinkMessage(String name) {
    var status = sinkStatus(name);
    return status == null ? null : Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> c.getMessage()).orElse(null);
  }

  String sinkReason(String name) {
    var status = sinkStatus(name);
    return status == null ? null : Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> c.getReason()).orElse(null);
  }

  String json(Object o) {
    try {
      return json.writeValueAsString(o);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
