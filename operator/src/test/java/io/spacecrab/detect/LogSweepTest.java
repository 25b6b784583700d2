package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.DetectorRuntime;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.MovingClock;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The log sweep on moto and the mock Kubernetes API: the trail bucket is {@link LogPipeline#QUIET_BUCKET},
 * whose files no notification announces. The detectors' clock stands still until a test moves it, so a
 * file is swept exactly when the test says it is old enough.
 */
@OwnJvm
class LogSweepTest {
  static final String NS = "payments";
  static final String ALERTS = OperatorUnderTest.NAMESPACE;
  static final String LEASE = "spacecrab-detector-sweep";
  static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
  static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm").withZone(ZoneOffset.UTC);

  final MovingClock clock = new MovingClock(Instant.now());
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS).logPipeline()
      .flags("--registry-refresh=PT1S", "--log-bucket=" + LogPipeline.QUIET_BUCKET, "--sweep-interval=PT1S")
      .operator().build();
  Caller caller;

  @BeforeEach
  void issueToken() {
    caller = env.callerOf(env.createIssued(Tokens.token(NS, "deploy", "aws-deploy")));
  }

  Detector startDetector(DetectorMetrics metrics) {
    return env.startDetector(env.config(), metrics, clock);
  }

  @Test
  void aLogFileNoNotificationAnnouncedBecomesAnAlertWithinOneSweep() {
    DetectorMetrics metrics = newMetrics();
    startDetector(metrics);
    awaitSweeps(metrics, "started", 1);
    putUse("lost-1", "us-east-1", "AWSLogs/" + caller.accountId() + "/");

    clock.now = clock.now.plus(Duration.ofMinutes(1));
    HoneyTokenAlert alert = awaitAlert(1);
    assertThat(alert.getSpec().getRecentEvents()).extracting(e -> e.getEventID()).containsExactly("lost-1");
    assertThat(metrics.count("spacecrab_detector_sweep_unannounced_files_total")).isEqualTo(1);
    // the next sweeps find it finished with: read once
    double done = metrics.count("spacecrab_detector_sweeps_total", "outcome", "complete");
    awaitSweeps(metrics, "complete", done + 2);
    assertThat(metrics.count("spacecrab_detector_sweep_unannounced_files_total")).isEqualTo(1);
    assertThat(metrics.count("spacecrab_detector_files_total", "outcome", "read")).isEqualTo(1);
    assertThat(ledger().getData()).containsKey("mark");
  }

  @Test
  void aFileAnnouncedByANotificationIsNotReadAgainByTheSweep() {
    DetectorMetrics metrics = newMetrics();
    startDetector(metrics);
    awaitSweeps(metrics, "started", 1);
    String key = putUse("announced-1", "us-east-1", "AWSLogs/" + caller.accountId() + "/");
    env.pipeline().send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, key));
    awaitAlert(1);
    // shared with the other replicas through the ledger
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger().getData().getOrDefault("files", "").contains(
        ReadFiles.fingerprint(LogPipeline.QUIET_BUCKET, key, etag(key))));

    clock.now = clock.now.plus(Duration.ofMinutes(1));
    double done = metrics.count("spacecrab_detector_sweeps_total", "outcome", "complete");
    awaitSweeps(metrics, "complete", done + 2);
    assertThat(metrics.count("spacecrab_detector_sweep_unannounced_files_total")).isZero();
    assertThat(metrics.count("spacecrab_detector_files_total", "outcome", "read")).isEqualTo(1);
    assertThat(alerts()).singleElement().satisfies(a -> assertThat(a.getSpec().getEventCount()).isEqualTo(1));
  }

  @Test
  void aFileAnotherReplicaReadIsNotReadAgainByTheLeader() {
    DetectorMetrics leaderMetrics = newMetrics();
    Detector leader = startDetector(leaderMetrics);
    awaitSweeps(leaderMetrics, "started", 1);
    // a second replica (not the leader) reads the announced file
    DetectorMetrics otherMetrics = newMetrics();
    Detector other = startDetector(otherMetrics);
    leader.close();
    String key = putUse("other-1", "us-east-1", "AWSLogs/" + caller.accountId() + "/");
    env.pipeline().send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, key));
    awaitAlert(1);
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger().getData().getOrDefault("files", "").contains(
        ReadFiles.fingerprint(LogPipeline.QUIET_BUCKET, key, etag(key))));
    // a new leader with an empty memory learns it from the ledger
    DetectorMetrics newLeader = newMetrics();
    other.close();
    startDetector(newLeader);

    clock.now = clock.now.plus(Duration.ofMinutes(1));
    awaitSweeps(newLeader, "complete", 2);
    assertThat(newLeader.count("spacecrab_detector_sweep_unannounced_files_total")).isZero();
    assertThat(newLeader.count("spacecrab_detector_files_total", "outcome", "read")).isZero();
  }

  @Test
  void theMarkSurvivesARestartSoAFileWrittenWhileDownIsSwept() {
    DetectorMetrics metrics = newMetrics();
    Detector first = startDetector(metrics);
    awaitSweeps(metrics, "started", 1);
    String before = putUse("before-1", "us-east-1", "AWSLogs/" + caller.accountId() + "/");
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    awaitAlert(1);
    // finished with, and recorded as such, before the restart
    await().atMost(Duration.ofSeconds(20)).until(() -> ledger().getData().getOrDefault("files", "").contains(
        ReadFiles.fingerprint(LogPipeline.QUIET_BUCKET, before, etag(before))));
    String mark = ledger().getData().get("mark");
    first.close();

    putUse("while-down-1", "eu-west-1", "AWSLogs/" + caller.accountId() + "/");
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    DetectorMetrics after = newMetrics();
    startDetector(after);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alerts())
        .flatExtracting(a -> a.getSpec().getSeenEventIDs()).containsExactlyInAnyOrder("before-1", "while-down-1"));
    assertThat(after.count("spacecrab_detector_sweeps_total", "outcome", "started")).isZero();
    assertThat(after.count("spacecrab_detector_sweep_unannounced_files_total")).isEqualTo(1);
    // the file finished before the restart is not read again
    assertThat(after.count("spacecrab_detector_files_total", "outcome", "read")).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20))
        .until(() -> Instant.parse(ledger().getData().get("mark")).isAfter(Instant.parse(mark)));
  }

  @Test
  void onlyTheLeaseHolderSweepsAndAnotherTakesOverWhenItStops() {
    DetectorMetrics a = newMetrics();
    DetectorMetrics b = newMetrics();
    Detector da = startDetector(a);
    Detector db = startDetector(b);
    await().atMost(Duration.ofSeconds(30)).until(() -> sweeps(a) + sweeps(b) >= 3);
    assertThat(sweeps(a) == 0 || sweeps(b) == 0).as("one of the two sweeps, a=%s b=%s", sweeps(a), sweeps(b)).isTrue();
    DetectorMetrics leader = sweeps(a) > 0 ? a : b;
    DetectorMetrics follower = leader == a ? b : a;
    Lease lease = env.client().leases().inNamespace(ALERTS).withName(LEASE).get();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();

    (leader == a ? da : db).close();
    await().atMost(Duration.ofSeconds(60)).until(() -> sweeps(follower) >= 1);
    putUse("takeover-1", "us-east-1", "AWSLogs/" + caller.accountId() + "/");
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    awaitAlert(1);
    assertThat(follower.count("spacecrab_detector_sweep_unannounced_files_total")).isEqualTo(1);
  }

  @Test
  void listsOnlyFromTheMarkOnwardsAcrossDayFolders() {
    Instant mark = clock.now.minus(Duration.ofHours(30));
    env.client().configMaps().inNamespace(ALERTS).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName(LEASE).withNamespace(ALERTS).endMetadata().addToData("mark", mark.toString())
        .build()).create();
    String account = "AWSLogs/" + caller.accountId() + "/";
    // named 40 minutes before the mark: outside the listing (StartAfter, or an earlier day folder)
    putUseAt("before-mark", "us-east-1", account, mark.minus(Duration.ofMinutes(40)));
    putUseAt("after-mark", "us-east-1", account, mark.plus(Duration.ofMinutes(5)));
    putUseAt("next-day", "us-east-1", account, mark.plus(Duration.ofHours(24)));
    putUse("today", "us-east-1", account);
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    DetectorMetrics metrics = newMetrics();
    startDetector(metrics);
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(alerts())
        .flatExtracting(a -> a.getSpec().getSeenEventIDs())
        .containsExactlyInAnyOrder("after-mark", "next-day", "today"));
    awaitSweeps(metrics, "complete", 2);
    assertThat(alerts()).flatExtracting(a -> a.getSpec().getSeenEventIDs()).doesNotContain("before-mark");
    assertThat(metrics.count("spacecrab_detector_sweep_unannounced_files_total")).isEqualTo(3);
  }

  @Test
  void findsTheRegionsOfOrganisationTrailsUnderAPrefix() {
    AwsClients aws = OperatorUnderTest.aws(env.moto(), env.config(), List.of());
    String org = "trail/AWSLogs/o-abc123def4/";
    putUse("org-1", "eu-central-1", org + "111122223333/");
    putUse("org-2", "us-west-2", org + "444455556666/");
    putUse("single-1", "us-east-1", "trail/AWSLogs/777788889999/");
    env.pipeline().put(LogPipeline.QUIET_BUCKET, "trail/AWSLogs/777788889999/CloudTrail-Digest/us-east-1/x.json.gz",
        new byte[] {1});
    LogSweep sweep = new LogSweep(aws.logObjects(), LogPipeline.QUIET_BUCKET, "trail/", Duration.ofMinutes(5),
        new ReadFiles(10), null, () -> true, f -> true, newMetrics(), clock);
    assertThat(sweep.trailFolders()).containsExactlyInAnyOrder(
        org + "111122223333/CloudTrail/eu-central-1/",
        org + "444455556666/CloudTrail/us-west-2/",
        "trail/AWSLogs/777788889999/CloudTrail/us-east-1/");
    assertThat(LogSweep.fileStem(org + "111122223333/CloudTrail/eu-central-1/"))
        .isEqualTo("111122223333_CloudTrail_eu-central-1_");
  }

  @Test
  void reportsQueueDepthsTheAgeOfMessagesAndTheLagOfUses() {
    OperatorConfig config = OperatorUnderTest.config(env.moto(), "--queue-url=" + env.pipeline().queueUrl,
        "--queue-wait-seconds=1", "--registry-refresh=PT1S", "--dead-letter-queue-url=" + env.pipeline().dlqUrl);
    env.pipeline().sqs.sendMessage(r -> r.queueUrl(env.pipeline().dlqUrl).messageBody("a message that failed its retries"));
    DetectorMetrics metrics = newMetrics();
    AwsClients aws = OperatorUnderTest.aws(env.moto(), config, List.of());
    env.stopAfterTest(DetectorRuntime.start(config, env.client(), aws.queue(config.queueUrl()), aws.logObjects(),
        aws.registry(config.registryTable()), metrics, clock, Set.of(), aws::queue));
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      assertThat(metrics.gauge("spacecrab_detector_queue_messages", "queue", "dead_letter", "state", "visible"))
          .isEqualTo(1);
      // read at start, when S3's test message may still wait on it
      assertThat(metrics.gauge("spacecrab_detector_queue_messages", "queue", "notifications", "state", "visible"))
          .isBetween(0.0, 1.0);
    });

    env.pipeline().send(LogPipeline.eventBridge(CloudTrailFiles.json(CloudTrailFiles.record(caller, "lag-1",
        clock.now.minus(Duration.ofMinutes(5)).toString(), "s3.amazonaws.com", "ListBuckets", "192.0.2.9"))));
    awaitAlert(1);
    var lag = metrics.registry().find("spacecrab_detector_record_lag_seconds").timer();
    assertThat(lag.count()).isEqualTo(1);
    assertThat(lag.max(java.util.concurrent.TimeUnit.SECONDS)).isBetween(299.0, 301.0);
    assertThat(metrics.registry().find("spacecrab_detector_message_age_seconds").timer().count()).isPositive();
  }

  /** A log file with one use of the token, named and placed as CloudTrail does, written now. */
  String putUse(String eventId, String region, String accountFolder) {
    return putUseAt(eventId, region, accountFolder, Instant.now());
  }

  /** As {@link #putUse}, named and placed as CloudTrail would have at {@code now}. */
  String putUseAt(String eventId, String region, String accountFolder, Instant now) {
    String account = accountFolder.replaceAll(".*/(\\d{12})/$", "$1");
    String key = accountFolder + "CloudTrail/" + region + "/" + DAY.format(now) + "/" + account + "_CloudTrail_"
        + region + "_" + MINUTE.format(now) + "Z_" + eventId + ".json.gz";
    env.pipeline().put(LogPipeline.QUIET_BUCKET, key, CloudTrailFiles.gzip(List.of(CloudTrailFiles.record(caller, eventId,
        now.toString(), "s3.amazonaws.com", "ListBuckets", "198.51.100.7"))));
    return key;
  }

  String etag(String key) {
    return io.spacecrab.aws.LogObject.bare(
        env.pipeline().s3.headObject(r -> r.bucket(LogPipeline.QUIET_BUCKET).key(key)).eTag());
  }

  static DetectorMetrics newMetrics() {
    return new DetectorMetrics(new SimpleMeterRegistry());
  }

  static double sweeps(DetectorMetrics m) {
    return Set.of("started", "complete", "incomplete", "failed").stream()
        .mapToDouble(o -> m.count("spacecrab_detector_sweeps_total", "outcome", o)).sum();
  }

  static void awaitSweeps(DetectorMetrics m, String outcome, double atLeast) {
    await().atMost(Duration.ofSeconds(30))
        .until(() -> m.count("spacecrab_detector_sweeps_total", "outcome", outcome) >= atLeast);
  }

  ConfigMap ledger() {
    return env.client().configMaps().inNamespace(ALERTS).withName(LEASE).get();
  }

  List<HoneyTokenAlert> alerts() {
    return env.client().resources(HoneyTokenAlert.class).inNamespace(ALERTS).list().getItems();
  }

  HoneyTokenAlert awaitAlert(int uses) {
    await().atMost(Duration.ofSeconds(30)).until(() -> alerts().stream()
        .mapToLong(a -> a.getSpec().getEventCount()).sum() >= uses);
    return alerts().get(0);
  }
}
