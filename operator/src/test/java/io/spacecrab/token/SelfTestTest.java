package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.PipelineHealth;
import io.spacecrab.api.v1alpha1.SinkMatch;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.detect.Detector;
import io.spacecrab.DetectorRuntime;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.testing.AlertSinks;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.MovingClock;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Receiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 part 1, end to end: the operator's self-test key is used on a schedule (virtual clock),
 * the detector recognises its uses per intake path (moto S3 → SQS and EventBridge-shaped messages),
 * a path that misses its deadline sends one PipelineDown notice to a real local webhook receiver,
 * and its resolve once the path delivers again.
 */
@OwnJvm
class SelfTestTest {
  static final String NS = OperatorUnderTest.NAMESPACE;
  static final String SIGNING = "whsec_" + Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8));
  static final Duration WAIT = Duration.ofSeconds(30);

  final ObjectMapper json = new ObjectMapper();
  final MovingClock clock = new MovingClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
  final DetectorMetrics detectorMetrics = new DetectorMetrics(new SimpleMeterRegistry());
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().logPipeline().flags("--registry-refresh=PT1S",
      "--self-test-interval=PT15M", "--delivery-backoff=PT0.2S", "--delivery-backoff-cap=PT1S").build();
  Receiver hook;
  Receiver pagerDuty;
  int eventIds;

  @BeforeEach
  void setUp() {
    hook = Receiver.answering(200);
    pagerDuty = Receiver.answering(202);
    sink("pipeline-hook", SinkType.webhook, Map.of("url", hook.url("/hook"), "signingSecret", SIGNING), spec -> {
      SinkMatch match = new SinkMatch();
      match.setPipelineNotices(true);
      spec.setMatch(match);
    });
    // takes every token alert, and no pipeline notice (it did not ask for them)
    sink("breaches", SinkType.pagerduty, Map.of("routingKey", "R0UTINGKEY0123456789abcdefabcdef"),
        spec -> spec.setEndpoint(pagerDuty.url("/v2/enqueue")));
    startOperator();
    AwsClients aws = OperatorUnderTest.aws(env.moto(), env.config(), List.of());
    env.stopAfterTest(DetectorRuntime.start(env.config(), env.client(), aws.queue(env.config().queueUrl()),
        aws.logObjects(), aws.registry(env.config().registryTable()), detectorMetrics, clock,
        java.util.Set.of(aws.accountId())));
  }

  @AfterEach
  void tearDown() {
    env.stopDetectors();
    env.stopOperator();
    hook.close();
    pagerDuty.close();
  }

  @Test
  void aMissedSelfTestUseSendsOnePipelineDownAndItsResolve() throws Exception {
    Instant t0 = clock.now;
    PipelineHealth health = awaitCalls(1);
    assertThat(health.getStatus().getLastCallTime()).isEqualTo(t0.toString());
    assertThat(condition(health, "SelfTestCalling")).isEqualTo("True");
    assertThat(condition(health, "S3Delivering")).isEqualTo("Unknown");
    Caller selfTest = selfTestCaller();

    // the trail delivers the call through both paths: recorded as health, never as a breach
    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(use(selfTest, t0.plusSeconds(2)))));
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(selfTest.accountId(), "selftest_1"),
        CloudTrailFiles.gzip(List.of(use(selfTest, t0.plusSeconds(2)))));
    await().atMost(WAIT).until(() -> {
      var s = health().getStatus();
      return s.getS3() != null && s.getEventBridge() != null;
    });
    assertThat(health().getStatus().getEventBridge().getLastEventTime()).isEqualTo(t0.plusSeconds(2).toString());
    assertThat(detectorMetrics.registry().find("spacecrab_self_test_delay_seconds").tag("path", "s3").timer().count())
        .isEqualTo(1);

    // 21 minutes on: a second call; the first was seen on both paths within their deadlines
    clock.now = t0.plus(Duration.ofMinutes(21));
    awaitCalls(2);
    await().atMost(WAIT).until(() -> "True".equals(condition(health(), "S3Delivering"))
        && "True".equals(condition(health(), "EventBridgeDelivering")));

    // EventBridge loses the second call: 6 minutes later that path is down, S3 is not (yet)
    clock.now = t0.plus(Duration.ofMinutes(27));
    await().atMost(WAIT).until(() -> "False".equals(condition(health(), "EventBridgeDelivering")));
    assertThat(condition(health(), "S3Delivering")).isEqualTo("True");
    await().atMost(WAIT).until(() -> hook.requests().size() == 1);
    JsonNode opened = json.readTree(hook.requests().get(0).body());
    assertThat(opened.path("type").asText()).isEqualTo("alert.opened");
    assertThat(opened.at("/data/reason").asText()).isEqualTo("PipelineDown");
    assertThat(opened.at("/data/token/location").asText()).isEqualTo("EventBridge events");
    assertThat(opened.at("/data/firstSeen").asText()).isEqualTo(t0.plus(Duration.ofMinutes(21)).toString());

    // still down at the next call and after it: no second notice for EventBridge; S3 misses the second call too
    clock.now = t0.plus(Duration.ofMinutes(37));
    awaitCalls(3);
    clock.now = t0.plus(Duration.ofMinutes(42));
    await().atMost(WAIT).until(() -> "False".equals(condition(health(), "S3Delivering")));
    await().atMost(WAIT).until(() -> hook.requests().size() == 2); // the S3 path's own notice
    assertThat(pipelineNotices()).extracting(a -> a.getMetadata().getName()).containsExactlyInAnyOrder(
        "pipeline-down-eventbridge-" + t0.plus(Duration.ofMinutes(21)).getEpochSecond(),
        "pipeline-down-s3-" + t0.plus(Duration.ofMinutes(21)).getEpochSecond());

    // both paths deliver the third call: resolved, once each
    Instant third = t0.plus(Duration.ofMinutes(37));
    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(use(selfTest, third.plusSeconds(1)))));
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(selfTest.accountId(), "selftest_3"),
        CloudTrailFiles.gzip(List.of(use(selfTest, third.plusSeconds(1)))));
    await().atMost(WAIT).until(() -> "True".equals(condition(health(), "EventBridgeDelivering"))
        && "True".equals(condition(health(), "S3Delivering")));
    await().atMost(WAIT).until(() -> hook.requests().size() == 4);
    List<String> types = hook.requests().stream().map(r -> read(r.body()).path("type").asText()).toList();
    assertThat(types).containsExactly("alert.opened", "alert.opened", "alert.resolved", "alert.resolved");
    assertThat(pipelineNotices()).allSatisfy(a -> assertThat(a.getSpec().getResolved()).isTrue());

    // no breach: no alert but the two notices, and the sink that did not ask for notices got nothing
    assertThat(env.client().resources(HoneyTokenAlert.class).inNamespace(NS).list().getItems()).hasSize(2);
    assertThat(pagerDuty.requests()).isEmpty();
    assertThat(env.operator().scrape()).contains("spacecrab_self_test_calls_total{outcome=\"ok\"} 3.0")
        .contains("spacecrab_pipeline_notices_total{change=\"down\",path=\"eventbridge\"} 1.0")
        .contains("spacecrab_pipeline_notices_total{change=\"recovered\",path=\"eventbridge\"} 1.0");
  }

  @Test
  void theSelfTestKeySurvivesRestartsAndAnyOtherUseOfItIsAlerted() {
    awaitCalls(1);
    RegistryRecord before = selfTestRecord();
    assertThat(iamUsers()).containsExactly(before.userName());

    startOperator();
    clock.now = clock.now.plus(Duration.ofMinutes(15));
    awaitCalls(2);
    RegistryRecord after = selfTestRecord();
    assertThat(after.accessKeyId()).isEqualTo(before.accessKeyId());
    assertThat(iamUsers()).containsExactly(before.userName());
    // the user looks like any token's: path /, the ownership tag, nothing that names a test
    try (var iam = env.moto().iam(env.moto().adminCredentials())) {
      var user = iam.getUser(r -> r.userName(before.userName())).user();
      assertThat(user.path()).isEqualTo("/");
      assertThat(user.userName().toLowerCase()).doesNotContain("test").doesNotContain("spacecrab");
    }

    // a call the self-test never makes, with its key: the operator was breached; alerted like any token's use
    Caller selfTest = selfTestCaller();
    ObjectNode stolen = CloudTrailFiles.record(selfTest, "stolen-1", clock.now.toString(), "s3.amazonaws.com",
        "ListBuckets", "203.0.113.9");
    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(stolen)));
    await().atMost(WAIT).until(() -> !pagerDuty.requests().isEmpty());
    assertThat(read(pagerDuty.requests().get(0).body()).at("/payload/custom_details/event_names").toString())
        .contains("ListBuckets");
  }

  OperatorUnderTest startOperator() {
    return env.startOperator(env.config(), List.of(), List.of(), null, clock);
  }

  /** A successful sts:GetCallerIdentity by the self-test key at this time, as CloudTrail records it. */
  ObjectNode use(Caller caller, Instant time) {
    ObjectNode r = CloudTrailFiles.record(caller, "selftest-" + (++eventIds), time.toString(), "sts.amazonaws.com",
        "GetCallerIdentity", "192.0.2.10");
    r.remove("errorCode");
    r.remove("errorMessage");
    return r;
  }

  RegistryRecord selfTestRecord() {
    AwsClients aws = OperatorUnderTest.aws(env.moto(), env.config(), List.of());
    List<RegistryRecord> records = aws.registry(env.config().registryTable()).scanAll().stream()
        .filter(r -> r.uid() != null && r.uid().startsWith(SpaceCrab.SELF_TEST_UID + "-")).toList();
    assertThat(records).singleElement().satisfies(r -> assertThat(r.state()).isEqualTo(RegistryState.Active));
    return records.get(0);
  }

  Caller selfTestCaller() {
    RegistryRecord r = selfTestRecord();
    return Caller.of(r.accessKeyId(), r.principalId(), r.userArn());
  }

  List<String> iamUsers() {
    try (var iam = env.moto().iam(env.moto().adminCredentials())) {
      // moto's own admin aside
      return iam.listUsers().users().stream().map(u -> u.userName()).filter(n -> !n.equals("admin")).toList();
    }
  }

  PipelineHealth health() {
    return env.client().resources(PipelineHealth.class).inNamespace(NS).withName(SpaceCrab.SELF_TEST_NAME).get();
  }

  PipelineHealth awaitCalls(int n) {
    await().atMost(WAIT).untilAsserted(() -> {
      PipelineHealth h = health();
      assertThat(h).isNotNull();
      assertThat(h.getStatus()).isNotNull();
      assertThat(h.getStatus().getCalls()).as(io.fabric8.kubernetes.client.utils.Serialization.asJson(h)).hasSize(n);
    });
    return health();
  }

  static String condition(PipelineHealth health, String type) {
    return health.getStatus() == null ? null
        : Conditions.find(health.getStatus().getConditions(), type).map(c -> c.getStatus()).orElse(null);
  }

  List<HoneyTokenAlert> pipelineNotices() {
    return env.client().resources(HoneyTokenAlert.class).inNamespace(NS).list().getItems().stream()
        .filter(a -> SpaceCrab.PIPELINE_DOWN.equals(a.getSpec().getReason())).toList();
  }

  JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  void sink(String name, SinkType type, Map<String, String> secret, Consumer<AlertSinkSpec> edit) {
    AlertSinks.create(env.client(), NS, name, name + "-secret", type, secret, edit);
  }
}
