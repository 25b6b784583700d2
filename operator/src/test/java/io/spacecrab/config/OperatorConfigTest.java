package io.spacecrab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorConfigTest {

  @Test
  void appliesDefaultsAndLetsFlagsWinOverEnvironment() {
    OperatorConfig config = OperatorConfig.load(new String[] {"--cluster-id=prod-eu", "--aws-region", "eu-west-1"},
        Map.of("SPACECRAB_CLUSTER_ID", "ignored", "SPACECRAB_REGISTRY_TABLE", "tokens", "PATH", "/bin"));
    assertThat(config.clusterId()).isEqualTo("prod-eu");
    assertThat(config.awsRegion()).isEqualTo("eu-west-1");
    assertThat(config.registryTable()).isEqualTo("tokens");
    assertThat(config.iamPath()).isEqualTo("/");
    assertThat(config.userNameTemplate()).isEqualTo("auto");
    assertThat(config.alertNamespace()).isEqualTo(config.namespace()).isEqualTo("spacecrab-system");
    assertThat(config.recheckInterval()).isEqualTo(Duration.ofHours(6));
    assertThat(config.reconcileConcurrency()).isEqualTo(4);
    assertThat(config.secretLabelKey()).isEqualTo("app.kubernetes.io/component");
    assertThat(config.awsEndpoint()).isNull();
    assertThat(config.deliveryConnectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.deliveryReadTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.deliveryDeadline()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void deliveryLimitsAreSetAndChecked() {
    OperatorConfig config = OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--delivery-connect-timeout=PT0.5S", "--delivery-read-timeout=PT1S"},
        Map.of("SPACECRAB_DELIVERY_DEADLINE", "PT2S"));
    assertThat(config.deliveryConnectTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.deliveryReadTimeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.deliveryDeadline()).isEqualTo(Duration.ofSeconds(2));

    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--delivery-connect-timeout=PT0S", "--delivery-read-timeout=10s", "--delivery-deadline=-PT1S"}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(3))
        .hasMessageContaining("delivery-connect-timeout must be positive")
        .hasMessageContaining("delivery-read-timeout '10s' is not an ISO-8601 duration")
        .hasMessageContaining("delivery-deadline must be positive");
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--delivery-read-timeout=PT30S"}, Map.of()))
        .hasMessageContaining("delivery-deadline must not be shorter than delivery-connect-timeout or "
            + "delivery-read-timeout");
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--delivery-backoff=PT10M", "--delivery-backoff-cap=PT1M"}, Map.of()))
        .hasMessageContaining("delivery-backoff must be at least 1 ms and not longer than delivery-backoff-cap");
  }

  @Test
  void reportsEveryProblemAtOnceInOneClearMessage() {
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--aws-region=Europe", "--iam-path=/honeytokens/",
        "--user-name-template=canary-{hash}", "--reconcile-concurrency=0", "--recheck-interval=6h",
        "--aws-endpoint=localhost:5000", "--secret-label=nolabel", "--colour=blue", "stray"}, Map.of()))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(10))
        .hasMessageContaining("cluster-id is required")
        .hasMessageContaining("aws-region 'Europe'")
        .hasMessageContaining("iam-path '/honeytokens/' names what the key is")
        .hasMessageContaining("user-name-template names what the key is")
        .hasMessageContaining("reconcile-concurrency must be between 1 and 64")
        .hasMessageContaining("recheck-interval '6h' is not an ISO-8601 duration")
        .hasMessageContaining("aws-endpoint 'localhost:5000'")
        .hasMessageContaining("secret-label 'nolabel'")
        .hasMessageContaining("unknown setting 'colour'")
        .hasMessageContaining("unexpected argument 'stray'");
  }

  @Test
  void rejectsTemplatesThatWouldGiveEveryTokenTheSameUser() {
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--user-name-template=deploy-bot"}, Map.of()))
        .hasMessageContaining("must contain {hash} or {name}");
  }

  @Test
  void helpListsEverySetting() {
    String help = OperatorConfig.help();
    OperatorConfig.OPTIONS.keySet().forEach(name -> assertThat(help).contains("--" + name));
  }

  @Test
  void installSettingsDefaultToOneReplicaOnEveryNamespaceWithServerSideApply() {
    OperatorConfig config = OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1"}, Map.of());
    assertThat(config.serverSideApply()).isTrue();
    assertThat(config.leaderElection()).isFalse();
    assertThat(config.watchesAllNamespaces()).isTrue();
    assertThat(config.watches("anything")).isTrue();
  }

  @Test
  void watchNamespacesAndLeaderElectionComeFromTheEnvironmentTheChartRenders() {
    OperatorConfig config = OperatorConfig.load(new String[0], Map.of("SPACECRAB_CLUSTER_ID", "c",
        "SPACECRAB_AWS_REGION", "us-east-1", "SPACECRAB_LEADER_ELECTION", "TRUE",
        "SPACECRAB_WATCH_NAMESPACES", "team-a, team-b,,spacecrab-system", "SPACECRAB_SERVER_SIDE_APPLY", "false"));
    assertThat(config.leaderElection()).isTrue();
    assertThat(config.serverSideApply()).isFalse();
    assertThat(config.watchNamespaces()).containsExactlyInAnyOrder("team-a", "team-b", "spacecrab-system");
    assertThat(config.watches("team-b")).isTrue();
    assertThat(config.watches("team-c")).isFalse();
  }

  @Test
  void rejectsBadInstallSettings() {
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--leader-election=yes", "--watch-namespaces=ok,Not_A_Namespace", "--leader-election-lease=UPPER"}, Map.of()))
        .hasMessageContaining("leader-election 'yes' must be true or false")
        .hasMessageContaining("watch-namespaces: 'Not_A_Namespace' is not a namespace name")
        .hasMessageContaining("leader-election-lease 'UPPER' is not a Lease name")
        .hasMessageContaining("watch-namespaces must include the security namespace 'spacecrab-system'");
  }

  @Test
  void theLogSweepIsOffWithoutABucketAndTakesThePrefixWithOrWithoutSlashes() {
    OperatorConfig off = OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1"}, Map.of());
    assertThat(off.logBucket()).isNull();
    assertThat(off.logPrefix()).isEmpty();
    assertThat(off.sweepInterval()).isEqualTo(java.time.Duration.ofMinutes(5));
    assertThat(off.sweepLease()).isEqualTo("spacecrab-detector-sweep");
    OperatorConfig on = OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--log-bucket=trail-logs", "--log-prefix=/org/trails/"}, Map.of());
    assertThat(on.logBucket()).isEqualTo("trail-logs");
    assertThat(on.logPrefix()).isEqualTo("org/trails/");
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--log-bucket=Not_A_Bucket", "--sweep-interval=PT0S", "--sweep-lease=UPPER",
        "--dead-letter-queue-url=dlq"}, Map.of()))
        .hasMessageContaining("log-bucket 'Not_A_Bucket' is not an S3 bucket name")
        .hasMessageContaining("sweep-interval must be positive")
        .hasMessageContaining("sweep-lease 'UPPER' is not a Lease name")
        .hasMessageContaining("dead-letter-queue-url 'dlq' is not an SQS queue URL");
  }

  @Test
  void ownershipTagDefaultsToANeutralKeyWithTheClusterIdAndRefusesTellTales() {
    OperatorConfig config = OperatorConfig.load(new String[] {"--cluster-id=prod-eu", "--aws-region=us-east-1"},
        Map.of());
    assertThat(config.ownershipTagKey()).isEqualTo("team");
    assertThat(config.ownershipTagValue()).isEqualTo("prod-eu");
    assertThat(config.denyPolicyName()).isEqualTo("default");
    assertThatThrownBy(() -> OperatorConfig.load(new String[] {"--cluster-id=c", "--aws-region=us-east-1",
        "--ownership-tag-key=aws:owner", "--ownership-tag-value=honeypot", "--deny-policy-name=canary-deny"}, Map.of()))
        .hasMessageContaining("ownership-tag-key 'aws:owner' is not an IAM tag key")
        .hasMessageContaining("ownership-tag-value 'honeypot' names what the user is")
        .hasMessageContaining("deny-policy-name 'canary-deny' names what the user is");
  }
}
