package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Event;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.DetectorRuntime;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.SecretKeyRef;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Receiver;
import io.spacecrab.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The detector against moto (S3 → SQS notifications, DynamoDB registry) and the mock Kubernetes API. */
@OwnJvm
class DetectorTest {
  static final String NS = "payments";
  static final String ALERTS = OperatorUnderTest.NAMESPACE;

  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS).logPipeline()
      .flags("--registry-refresh=PT1S").operator().build();
  final DetectorMetrics metrics = new DetectorMetrics(new SimpleMeterRegistry());
  HoneyToken token;
  Caller caller;

  @BeforeEach
  void issueTokenAndStartDetector() {
    HoneyToken labelled = Tokens.token(NS, "deploy", "aws-deploy");
    labelled.getMetadata().setLabels(java.util.Map.of("env", "prod"));
    token = env.createIssued(labelled);
    caller = env.callerOf(token);
    startDetector();
  }

  Detector startDetector() {
    return env.startDetector(env.config(), metrics, Clock.systemUTC());
  }

  @Test
  void aUseInALogFileBecomesOneAlertAndMarksTheToken() {
    List<ObjectNode> records = noise(200);
    records.add(100, CloudTrailFiles.record(caller, "evt-1", "2026-11-30T21:00:05Z", "s3.amazonaws.com", "ListBuckets",
        "198.51.100.7"));
    records.add(CloudTrailFiles.record(caller, "evt-2", "2026-11-30T21:00:01Z", "iam.amazonaws.com", "ListUsers",
        "198.51.100.8"));
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261130T2100Z_a"),
        CloudTrailFiles.gzip(records));

    HoneyTokenAlert alert = awaitAlert(2);
    var spec = alert.getSpec();
    assertThat(spec.getToken().getNamespace()).isEqualTo(NS);
    assertThat(spec.getToken().getName()).isEqualTo("deploy");
    assertThat(spec.getOwner()).isEqualTo("team-" + NS);
    assertThat(spec.getCluster()).isEqualTo("test-cluster");
    assertThat(spec.getTokenState()).isEqualTo("Active");
    assertThat(spec.getFirstSeen()).isEqualTo("2026-11-30T21:00:01Z");
    assertThat(spec.getLastSeen()).isEqualTo("2026-11-30T21:00:05Z");
    assertThat(spec.getSourceIPs()).containsExactly("198.51.100.8", "198.51.100.7");
    assertThat(spec.getEventNames()).containsExactly("iam:ListUsers", "s3:ListBuckets");
    assertThat(spec.getRecentEvents()).extracting(e -> e.getEventID()).containsExactly("evt-2", "evt-1");
    assertThat(spec.getTokenLabels()).containsEntry("env", "prod");
    assertThat(alert.getMetadata().getLabels()).containsEntry("spacecrab.io/token-namespace", NS)
        .containsEntry("spacecrab.io/token-name", "deploy");

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HoneyToken t = env.client().resource(token).get();
      assertThat(t.getStatus().getLastTriggeredAt()).isEqualTo("2026-11-30T21:00:05Z");
      assertThat(Conditions.find(t.getStatus().getConditions(), Conditions.TRIGGERED).orElseThrow().getStatus())
          .isEqualTo("True");
      assertThat(Conditions.find(t.getStatus().getConditions(), Conditions.READY).orElseThrow().getStatus())
          .isEqualTo("True");
    });
    // the breached namespace is not told: the Event is in the detector's namespace
    assertThat(events(OperatorUnderTest.NAMESPACE)).contains("KeyUsed");
    assertThat(events(NS)).doesNotContain("KeyUsed");
    await().atMost(Duration.ofSeconds(10)).until(() -> env.pipeline().depth(env.pipeline().queueUrl) == 0);
    assertThat(metrics.count("spacecrab_detector_messages_total", "outcome", "test_event")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.count("spacecrab_detector_records_read_total", "receive", "first")).isEqualTo(202);
    assertThat(metrics.count("spacecrab_detector_records_read_total", "receive", "repeat")).isZero();
  }

  @Test
  void acceptsEveryIntakeShapeAndCountsEachRecordOnce() {
    String key = CloudTrailFiles.logKey(caller.accountId(), "20261130T2105Z_b+c d");
    ObjectNode use = CloudTrailFiles.record(caller, "evt-shapes", "2026-11-30T21:05:00Z", "sqs.amazonaws.com",
        "ListQueues", "198.51.100.9");
    env.pipeline().put(LogPipeline.QUIET_BUCKET, key, CloudTrailFiles.gzip(List.of(use)));
    env.pipeline().put(LogPipeline.QUIET_BUCKET, "AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30/d.json.gz",
        CloudTrailFiles.gzipBytes("{\"digestStartTime\":\"x\"}".getBytes()));

    env.pipeline().send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, key));
    awaitAlert(1);
    env.pipeline().send(LogPipeline.sns(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, key)));
    env.pipeline().send(LogPipeline.sns(LogPipeline.cloudTrailDelivery(LogPipeline.QUIET_BUCKET, key,
        "AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30/d.json.gz")));
    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(use)));
    env.pipeline().send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, key));
    await().atMost(Duration.ofSeconds(20)).until(() -> env.pipeline().depth(env.pipeline().queueUrl) == 0);
    assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getSpec().getEventCount()).isEqualTo(1));
    assertThat(metrics.count("spacecrab_detector_files_total", "outcome", "skipped")).isGreaterThanOrEqualTo(1);
    assertThat(env.pipeline().depth(env.pipeline().dlqUrl)).isZero();
  }

  @Test
  void eventBridgeDeliveryAlertsWithoutAnyLogFile() {
    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(CloudTrailFiles.record(caller, "evt-eb",
        Instant.now().toString(), "dynamodb.amazonaws.com", "ListTables", "192.0.2.44"))));
    HoneyTokenAlert alert = awaitAlert(1);
    assertThat(alert.getSpec().getRecentEvents().get(0).getMatchedBy()).isEqualTo("ACCESS_KEY_ID");
  }

  @Test
  void aTokenNewerThanTheRegistryCopyIsStillCaught() {
    env.stopDetectors();
    env.startDetector(env.config("--registry-refresh=PT1H"), metrics, Clock.systemUTC());
    HoneyToken newer = env.createIssued(Tokens.token(NS, "newer", "aws-newer"));
    Caller newCaller = env.callerOf(newer);
    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(CloudTrailFiles.record(newCaller, "evt-new",
        "2026-11-30T21:40:00Z", "s3.amazonaws.com", "ListBuckets", "192.0.2.50"))));
    await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(alerts()).singleElement()
        .satisfies(a -> assertThat(a.getSpec().getToken().getName()).isEqualTo("newer")));
  }

  @Test
  void twoDetectorsOnOneQueueWriteOneAlertWithEveryRecordOnce() {
    startDetector();
    for (int i = 0; i < 12; i++) {
      List<ObjectNode> records = noise(20);
      records.add(CloudTrailFiles.record(caller, "evt-" + i, "2026-11-30T21:1" + (i % 10) + ":00Z",
          "s3.amazonaws.com", "GetObject", "198.51.100." + i));
      records.add(CloudTrailFiles.record(caller, "evt-shared", "2026-11-30T21:10:30Z", "s3.amazonaws.com",
          "ListBuckets", "198.51.100.200"));
      env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "f" + i), CloudTrailFiles.gzip(records));
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> env.pipeline().depth(env.pipeline().queueUrl) == 0);
    assertThat(alerts()).singleElement().satisfies(a -> {
      assertThat(a.getSpec().getEventCount()).isEqualTo(13);
      assertThat(a.getSpec().getSeenEventIDs()).doesNotHaveDuplicates().hasSize(13);
    });
  }

  @Test
  void usesFarApartOpenSeparateIncidents() {
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "g"), CloudTrailFiles.gzip(List.of(
        CloudTrailFiles.record(caller, "a1", "2026-11-30T01:00:00Z", "s3.amazonaws.com", "ListBuckets", "192.0.2.1"),
        CloudTrailFiles.record(caller, "a2", "2026-11-30T01:40:00Z", "s3.amazonaws.com", "ListBuckets", "192.0.2.1"),
        CloudTrailFiles.record(caller, "b1", "2026-11-30T05:00:00Z", "s3.amazonaws.com", "ListBuckets", "192.0.2.2"))));
    await().atMost(Duration.ofSeconds(20)).until(() -> alerts().size() == 2);
    assertThat(alerts()).extracting(a -> a.getSpec().getIncident() + ":" + a.getSpec().getEventCount())
        .containsExactlyInAnyOrder("1:2", "2:1");
  }

  @Test
  void aDeletedTokensTombstoneStillAlerts() {
    env.client().resource(token).delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> env.client().resource(token).get() == null);
    double refreshes = metrics.count("spacecrab_detector_registry_refreshes_total");
    await().atMost(Duration.ofSeconds(10))
        .until(() -> metrics.count("spacecrab_detector_registry_refreshes_total") >= refreshes + 2);
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "late"), CloudTrailFiles.gzip(List.of(
        CloudTrailFiles.record(caller, "late-1", "2026-11-30T22:00:00Z", "s3.amazonaws.com", "ListBuckets",
            "192.0.2.3"))));
    HoneyTokenAlert alert = awaitAlert(1);
    assertThat(alert.getSpec().getTokenState()).isEqualTo("Retired");
  }

  @Test
  void sessionKeysMintedWithGetSessionTokenAreAttributed() {
    String sessionKey = "ASIA" + "Q".repeat(16);
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "pivot"), CloudTrailFiles.gzip(List.of(
        CloudTrailFiles.getSessionToken(caller, "gst-1", "2026-11-30T21:20:00Z", sessionKey),
        CloudTrailFiles.record(caller.withKey(sessionKey), "sess-1", "2026-11-30T21:21:00Z", "s3.amazonaws.com",
            "ListBuckets", "203.0.113.9"))));
    HoneyTokenAlert alert = awaitAlert(2);
    assertThat(alert.getSpec().getRecentEvents()).extracting(e -> e.getAccessKeyId())
        .containsExactly(caller.accessKeyId(), sessionKey);
    assertThat(alert.getSpec().getEventNames()).contains("sts:GetSessionToken");
  }

  @Test
  void damagedFileStillAlertsWhatCameBeforeAndEndsInTheDeadLetterQueue() {
    List<ObjectNode> records = new ArrayList<>();
    records.add(CloudTrailFiles.record(caller, "before-damage", "2026-11-30T21:30:00Z", "s3.amazonaws.com",
        "ListBuckets", "192.0.2.77"));
    records.addAll(noise(3000));
    byte[] whole = CloudTrailFiles.gzip(records);
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length * 2 / 3);
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "cut"), truncated);

    awaitAlert(1);
    await().atMost(Duration.ofSeconds(30)).until(() -> env.pipeline().depth(env.pipeline().dlqUrl) == 1);
    assertThat(metrics.count("spacecrab_detector_pipeline_degraded_total", "reason", "truncated")).isGreaterThanOrEqualTo(1);
    assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getSpec().getEventCount()).isEqualTo(1));
    assertThat(events(ALERTS)).contains("PipelineDegraded");
  }

  @Test
  void poisonMessagesAreNeverSilentlyDeleted() {
    env.pipeline().send("this is not json");
    env.pipeline().send("{\"hello\":\"world\"}");
    env.pipeline().put(LogPipeline.QUIET_BUCKET, "AWSLogs/1/CloudTrail/x.json.gz", "not gzip at all".getBytes());
    env.pipeline().send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, "AWSLogs/1/CloudTrail/x.json.gz"));
    env.pipeline().send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, "AWSLogs/1/CloudTrail/missing.json.gz"));
    await().atMost(Duration.ofSeconds(40)).until(() -> env.pipeline().depth(env.pipeline().dlqUrl) == 4);
    assertThat(metrics.count("spacecrab_detector_messages_total", "outcome", "unrecognised")).isGreaterThanOrEqualTo(2);
    assertThat(metrics.count("spacecrab_detector_pipeline_degraded_total", "reason", "not_gzip")).isGreaterThanOrEqualTo(1);
    assertThat(metrics.count("spacecrab_detector_pipeline_degraded_total", "reason", "object_missing"))
        .isGreaterThanOrEqualTo(1);
    assertThat(alerts()).isEmpty();
  }

  /** Issue 12 item 16: files arrive out of order; the token names its latest use, not the last one processed. */
  @Test
  void theTokenNamesItsLatestUseWhateverOrderTheFilesArriveIn() {
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261130T1240Z_late"),
        CloudTrailFiles.gzip(List.of(CloudTrailFiles.record(caller, "late", "2026-11-30T12:37:50Z", "s3.amazonaws.com",
            "ListBuckets", "203.0.113.7"))));
    awaitAlert(1);
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261130T1145Z_early"),
        CloudTrailFiles.gzip(List.of(CloudTrailFiles.record(caller, "early", "2026-11-30T11:43:35Z",
            "iam.amazonaws.com", "ListUsers", "198.51.100.8"))));
    HoneyTokenAlert alert = awaitAlert(2);
    await().atMost(Duration.ofSeconds(10)).until(() -> env.pipeline().depth(env.pipeline().queueUrl) == 0);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      HoneyToken t = env.client().resource(token).get();
      assertThat(t.getStatus().getLastTriggeredAt()).isEqualTo("2026-11-30T12:37:50Z");
      assertThat(Conditions.find(t.getStatus().getConditions(), Conditions.TRIGGERED).orElseThrow().getMessage())
          .contains("s3:ListBuckets from 203.0.113.7 at 2026-11-30T12:37:50Z")
          .contains(alert.getMetadata().getName())
          .doesNotContain("11:43:35");
    });
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(keyUsedEvents(ALERTS))
        .singleElement().satisfies(e -> assertThat(e.getMessage())
            .contains("s3:ListBuckets from 203.0.113.7 at 2026-11-30T12:37:50Z").doesNotContain("11:43:35")));
  }

  /**
   * Issue 12 item 17: 105 uses of one incident, one per EventBridge message and in no particular order, give
   * one KeyUsed Event that counts them and names the latest; it stays in the detector's namespace.
   */
  @Test
  void oneKeyUsedEventPerIncidentCountsItsUsesAndNamesTheLatest() {
    Instant first = Instant.parse("2026-11-30T20:00:00Z");
    List<Integer> order = new ArrayList<>(java.util.stream.IntStream.range(0, 105).boxed().toList());
    java.util.Collections.shuffle(order, new java.util.Random(17));
    for (int i : order) {
      env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(CloudTrailFiles.record(caller, "use-" + i,
          first.plusSeconds(20L * i).toString(), "s3.amazonaws.com", "GetObject", "203.0.113." + (i % 3 + 1)))));
    }
    String latest = first.plusSeconds(20L * 104).toString();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(alerts()).singleElement()
        .satisfies(a -> assertThat(a.getSpec().getEventCount()).isEqualTo(105)));
    HoneyTokenAlert alert = alerts().get(0);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(keyUsedEvents(ALERTS)).singleElement()
        .satisfies(e -> {
          assertThat(e.getType()).isEqualTo("Warning");
          assertThat(e.getCount()).isEqualTo(105);
          assertThat(e.getFirstTimestamp()).isEqualTo(first.toString());
          assertThat(e.getLastTimestamp()).isEqualTo(latest);
          assertThat(e.getMessage()).contains("s3:GetObject from 203.0.113.3 at " + latest).contains(NS + "/deploy");
          assertThat(e.getInvolvedObject().getKind()).isEqualTo("HoneyTokenAlert");
          assertThat(e.getInvolvedObject().getName()).isEqualTo(alert.getMetadata().getName());
          assertThat(e.getInvolvedObject().getNamespace()).isEqualTo(ALERTS);
        }));
    assertThat(keyUsedEvents(NS)).isEmpty();
  }

  /**
   * Issue 12 item 18: calls AWS services make on the session's behalf (health.amazonaws.com, AWS Internal)
   * are not source addresses; the alert keeps each call's context, and the page names the address the
   * attacker used most (89 of 105 calls), not the first one seen.
   */
  @Test
  void serviceInvokedCallsStayOutOfTheSourceAddressesAndThePageNamesTheAttackersAddress() throws Exception {
    Receiver pagerDuty = Receiver.answering(202);
    try {
      pagerDutySink(pagerDuty);
      Instant t0 = Instant.parse("2026-11-30T20:00:00Z");
      String sessionCreated = t0.minusSeconds(60).toString();
      List<ObjectNode> records = new ArrayList<>();
      for (int i = 0; i < 105; i++) {
        String time = t0.plusSeconds(15L * i).toString();
        String id = "use-" + String.format("%03d", i);
        ObjectNode r;
        if (i == 0 || i == 99 || i == 100) {
          r = CloudTrailFiles.session(CloudTrailFiles.invokedBy(CloudTrailFiles.record(caller, id, time,
              "health.amazonaws.com", "DescribeEventAggregates", "x"), "health.amazonaws.com"),
              "ASIA" + "C".repeat(16), true, false, sessionCreated);
        } else if (i >= 101 && i <= 103) {
          r = CloudTrailFiles.invokedBy(CloudTrailFiles.record(caller, id, time, "kms.amazonaws.com", "Decrypt", "x"),
              "AWS Internal");
        } else if (i >= 1 && i <= 10) {
          r = CloudTrailFiles.record(caller, id, time, "iam.amazonaws.com", "ListUsers", "198.51.100.23");
        } else if (i == 104) {
          r = CloudTrailFiles.session(CloudTrailFiles.record(caller, id, time, "s3.amazonaws.com", "ListBuckets",
              "203.0.113.7"), "ASIA" + "S".repeat(16), false, false, sessionCreated);
        } else {
          r = CloudTrailFiles.record(caller, id, time, "s3.amazonaws.com", "GetObject", "203.0.113.7");
        }
        records.add(r);
      }
      env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261130T2030Z_mixed"),
          CloudTrailFiles.gzip(records));
      HoneyTokenAlert alert = awaitAlert(105);

      com.fasterxml.jackson.databind.JsonNode spec = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper()
          .valueToTree(alert.getSpec());
      assertThat(alert.getSpec().getSourceIPs()).containsExactly("203.0.113.7", "198.51.100.23");
      assertThat(spec.path("sourceIPCalls").toString())
          .isEqualTo("[{\"sourceIP\":\"203.0.113.7\",\"calls\":89},{\"sourceIP\":\"198.51.100.23\",\"calls\":10}]");
      assertThat(spec.path("invokedBy").toString()).isEqualTo("[\"health.amazonaws.com\",\"AWS Internal\"]");
      assertThat(spec.has("cappedLists")).as("no list reached its cap").isFalse();
      com.fasterxml.jackson.databind.JsonNode recent = spec.path("recentEvents");
      assertThat(recent).hasSize(20);
      com.fasterxml.jackson.databind.JsonNode viaHealth = recent.get(15);
      assertThat(viaHealth.path("eventID").asText()).isEqualTo("use-100");
      assertThat(viaHealth.path("invokedBy").asText()).isEqualTo("health.amazonaws.com");
      assertThat(viaHealth.path("readOnly").asBoolean()).isTrue();
      assertThat(viaHealth.path("eventType").asText()).isEqualTo("AwsApiCall");
      assertThat(viaHealth.path("session").toString())
          .isEqualTo("{\"type\":\"Console\",\"mfaAuthenticated\":false,\"createdAt\":\"" + sessionCreated + "\"}");
      com.fasterxml.jackson.databind.JsonNode latest = recent.get(19);
      assertThat(latest.path("eventID").asText()).isEqualTo("use-104");
      assertThat(latest.has("invokedBy")).isFalse();
      assertThat(latest.path("session").toString())
          .isEqualTo("{\"type\":\"SessionToken\",\"mfaAuthenticated\":false,\"createdAt\":\"" + sessionCreated + "\"}");
      assertThat(recent.get(0).has("session")).as("a call signed with the long-term key has no session").isFalse();

      await().atMost(Duration.ofSeconds(30)).until(() -> !pagerDuty.requests().isEmpty());
      com.fasterxml.jackson.databind.JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(pagerDuty.requests().get(pagerDuty.requests().size() - 1).body());
      assertThat(page.path("payload").path("summary").asText())
          .contains("from 203.0.113.7 (89 of 105 API calls, +1 more address)")
          .doesNotContain("health.amazonaws.com").doesNotContain("AWS Internal");
      assertThat(page.path("payload").path("custom_details").path("source_ips").toString())
          .isEqualTo("[\"203.0.113.7\",\"198.51.100.23\"]");
    } finally {
      pagerDuty.close();
    }
  }

  /**
   * Issue 13 part 5, end to end: a secret scanner verifies the key (sts:GetCallerIdentity from its
   * address, with its user agent): the alert records the calls, the PagerDuty sink whose knownScanners
   * rule matches is not paged. The attacker's call that follows pages, and the page says which calls
   * were the scanner's.
   */
  @Test
  void aKnownScannersVerificationIsRecordedWithoutAPageAndTheAttackersCallPages() throws Exception {
    Receiver pagerDuty = Receiver.answering(202);
    try {
      io.spacecrab.api.v1alpha1.KnownScanner rule = new io.spacecrab.api.v1alpha1.KnownScanner();
      rule.setName("trufflehog-ci");
      rule.setCidrs(List.of("192.0.2.0/28"));
      rule.setUserAgents(List.of("TruffleHog"));
      pagerDutySink(pagerDuty, spec -> spec.setKnownScanners(List.of(rule)));
      List<ObjectNode> scans = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        ObjectNode r = CloudTrailFiles.record(caller, "scan-" + i, "2026-11-30T21:0" + i + ":00Z", "sts.amazonaws.com",
            "GetCallerIdentity", "192.0.2." + (5 + i));
        r.put("userAgent", "TruffleHog/3.63.2 (+https://github.com/trufflesecurity/trufflehog)");
        scans.add(r);
      }
      env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261130T2105Z_scan"),
          CloudTrailFiles.gzip(scans));
      HoneyTokenAlert alert = awaitAlert(2);
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(env.client().resource(alert).get())
          .extracting(HoneyTokenAlert::getStatus).isNotNull()
          .extracting(s -> s.getDeliveries()).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
          .singleElement().satisfies(o -> {
            io.spacecrab.api.v1alpha1.Delivery d = (io.spacecrab.api.v1alpha1.Delivery) o;
            assertThat(d.getState()).isEqualTo("Suppressed");
            assertThat(d.getSuppressedBy()).containsExactly("trufflehog-ci");
            assertThat(d.getSuppressedCalls()).isEqualTo(2);
          }));
      assertThat(alert.getSpec().getCallers()).extracting(c -> c.getSourceIP() + " " + c.getCalls())
          .containsExactly("192.0.2.5 1", "192.0.2.6 1");
      assertThat(pagerDuty.requests()).isEmpty();

      env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(CloudTrailFiles.record(caller, "attacker-1",
          "2026-11-30T21:20:00Z", "s3.amazonaws.com", "ListBuckets", "203.0.113.7"))));
      await().atMost(Duration.ofSeconds(30)).until(() -> !pagerDuty.requests().isEmpty());
      com.fasterxml.jackson.databind.JsonNode page = new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(pagerDuty.requests().get(0).body());
      assertThat(page.at("/payload/summary").asText()).endsWith("; 2 of them by known scanners");
      assertThat(page.at("/payload/custom_details/event_count").asLong()).isEqualTo(3);
      assertThat(page.at("/payload/custom_details/suppressed_calls").asLong()).isEqualTo(2);
      assertThat(page.at("/payload/custom_details/known_scanner_calls")).extracting(c -> c.path("rule").asText()
          + " " + c.path("source_ip").asText()).containsExactlyInAnyOrder("trufflehog-ci 192.0.2.5",
          "trufflehog-ci 192.0.2.6");
    } finally {
      pagerDuty.close();
    }
  }

  /**
   * Issue 12 item 19: a message SQS delivers again (here: kept because its file is damaged) is read again;
   * its records count as repeat reads, not as more of the trail.
   */
  @Test
  void aRedeliveredMessagesRecordsCountAsRepeatReadsNotAsMoreRecords() {
    List<ObjectNode> records = new ArrayList<>();
    records.add(CloudTrailFiles.record(caller, "before-damage", "2026-11-30T21:30:00Z", "s3.amazonaws.com",
        "ListBuckets", "192.0.2.77"));
    records.addAll(noise(600));
    byte[] whole = CloudTrailFiles.gzip(records);
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "cut"),
        java.util.Arrays.copyOf(whole, whole.length * 2 / 3));

    // two receives (LogPipeline's redrive policy), then the dead-letter queue
    await().atMost(Duration.ofSeconds(30)).until(() -> env.pipeline().depth(env.pipeline().dlqUrl) == 1);
    double first = metrics.count("spacecrab_detector_records_read_total", "receive", "first");
    double repeat = metrics.count("spacecrab_detector_records_read_total", "receive", "repeat");
    assertThat(first).as("records of the trail read (first receive)").isPositive().isLessThan(601);
    assertThat(repeat).as("the same records read again on the second receive").isEqualTo(first);
    assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getSpec().getEventCount()).isEqualTo(1));
  }

  // --- helpers

  List<ObjectNode> noise(int n) {
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      records.add(CloudTrailFiles.noise(i, "2026-11-30T21:00:00Z"));
    }
    return records;
  }

  List<HoneyTokenAlert> alerts() {
    return env.client().resources(HoneyTokenAlert.class).inNamespace(ALERTS).list().getItems();
  }

  @Test
  void aShutdownFinishesTheBatchInHandSoItsUseIsAlerted() throws Exception {
    env.stopDetectors();
    java.util.concurrent.CountDownLatch reading = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AwsClients aws = OperatorUnderTest.aws(env.moto(), env.config(), List.of());
    io.spacecrab.aws.LogObjects real = aws.logObjects();
    // a log file read that is still going on when the pod is told to stop
    io.spacecrab.aws.LogObjects slow = new io.spacecrab.aws.LogObjects() {
      @Override
      public io.spacecrab.aws.LogFile open(String bucket, String key) {
        reading.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("the read was interrupted by the shutdown");
        }
        return real.open(bucket, key);
      }

      @Override
      public List<String> folders(String bucket, String prefix, int max) {
        return real.folders(bucket, prefix, max);
      }

      @Override
      public int list(String bucket, String prefix, String startAfter, int max,
          java.util.function.Consumer<io.spacecrab.aws.LogObject> each) {
        return real.list(bucket, prefix, startAfter, max, each);
      }
    };
    Detector detector = DetectorRuntime.start(env.config(), env.client(), aws.queue(env.config().queueUrl()), slow,
        aws.registry(env.config().registryTable()), metrics, Clock.systemUTC());
    env.pipeline().put(LogPipeline.BUCKET, CloudTrailFiles.logKey(caller.accountId(), "20261130T2100Z_stop"),
        CloudTrailFiles.gzip(List.of(CloudTrailFiles.record(caller, "evt-stop", "2026-11-30T21:00:05Z",
            "s3.amazonaws.com", "ListBuckets", "198.51.100.7"))));
    assertThat(reading.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

    Thread stopping = new Thread(detector::close, "sigterm");
    stopping.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> stopping.getState() == Thread.State.TIMED_WAITING
        || stopping.getState() == Thread.State.WAITING);
    release.countDown();
    stopping.join(Duration.ofSeconds(30).toMillis());

    assertThat(stopping.isAlive()).isFalse();
    // no detector runs any more: the alert can only come from the batch the shutdown let finish
    assertThat(awaitAlert(1).getSpec().getToken().getName()).isEqualTo("deploy");
    assertThat(metrics.count("spacecrab_detector_messages_total", "outcome", "deleted")).isGreaterThanOrEqualTo(1);
  }

  HoneyTokenAlert awaitAlert(long count) {
    HoneyTokenAlert[] found = new HoneyTokenAlert[1];
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      List<HoneyTokenAlert> all = alerts();
      assertThat(all).hasSize(1);
      assertThat(all.get(0).getSpec().getEventCount()).isEqualTo(count);
      found[0] = all.get(0);
    });
    return found[0];
  }

  List<Event> keyUsedEvents(String namespace) {
    return env.client().v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(e -> "KeyUsed".equals(e.getReason())).toList();
  }

  /** A PagerDuty AlertSink in the alert namespace that posts to this receiver. */
  void pagerDutySink(Receiver receiver) {
    pagerDutySink(receiver, spec -> { });
  }

  void pagerDutySink(Receiver receiver, java.util.function.Consumer<AlertSinkSpec> edit) {
    env.client().secrets().inNamespace(ALERTS).resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName("pd-secret").withNamespace(ALERTS).endMetadata()
        .addToData("routingKey", java.util.Base64.getEncoder().encodeToString(
            "R0UTINGKEY0123456789abcdefabcdef".getBytes(java.nio.charset.StandardCharsets.UTF_8))).build()).create();
    AlertSink sink = new AlertSink();
    sink.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("pd").withNamespace(ALERTS)
        .build());
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setType(SinkType.pagerduty);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("pd-secret");
    spec.setSecretRef(ref);
    spec.setAllowHttp(true);
    spec.setAllowDestinations(List.of("127.0.0.1"));
    spec.setEndpoint(receiver.url("/v2/enqueue"));
    edit.accept(spec);
    sink.setSpec(spec);
    env.client().resource(sink).create();
  }

  List<String> events(String namespace) {
    return env.client().v1().events().inNamespace(namespace).list().getItems().stream().map(Event::getReason).toList();
  }
}
