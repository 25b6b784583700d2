package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.IamCalls;
import io.spacecrab.testing.KubeWrites;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import io.spacecrab.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a token costs: four IAM calls for a new one; Kubernetes writes at most three for a new one (finalizer, Secret, status),
 * none while nothing changes (IAM re-checks included), and never more than the client-side write
 * limit allows.
 */
@OwnJvm
class TokenWritesTest {
  static final String NS = "apps";
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS).build();

  @Test
  void aNewTokenCostsAtMostThreeWritesAndAnUnchangedOneNone() {
    KubeWrites writes = new KubeWrites();
    IamCalls iamRecorder = new IamCalls();
    // the default test configuration re-checks IAM every ~2 s
    OperatorUnderTest operator = env.startOperator(env.config(), List.of(iamRecorder), List.of(writes), null,
        Clock.systemUTC());
    HoneyToken token = env.client().resource(Tokens.token(NS, "deploy", "deploy-creds")).create();
    await().atMost(Duration.ofSeconds(60)).until(() -> RestartTest.ready(env.kube(), token));

    List<String> forToken = tokenWrites(writes);
    assertThat(forToken).as("writes for a new token: %s", forToken).hasSizeLessThanOrEqualTo(3)
        .anyMatch(w -> w.endsWith("/honeytokens/deploy")) // the finalizer
        .anyMatch(w -> w.startsWith("POST") && w.contains("/secrets"))
        .anyMatch(w -> w.contains("/honeytokens/deploy/status"));

    // counting the account's users at start, then four calls for the new token; re-checks follow
    List<String> iamCalls = iamRecorder.operations();
    assertThat(iamCalls.subList(0, 5)).as("IAM calls: %s", iamCalls)
        .containsExactly("ListUsers", "GetUser", "CreateUser", "PutUserPolicy", "CreateAccessKey");
    assertThat(iamCalls.size() == 5 || iamCalls.get(5).equals("GetUser")).as("IAM calls: %s", iamCalls).isTrue();

    double iamBefore = operator.metrics().count("spacecrab_iam_calls_total");
    await().pollDelay(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8)).until(() -> true);
    assertThat(operator.metrics().count("spacecrab_iam_calls_total"))
        .as("IAM re-checks ran meanwhile").isGreaterThan(iamBefore);
    assertThat(tokenWrites(writes)).as("no writes while nothing changed").isEqualTo(forToken);
    assertThat(operator.metrics().gauge("spacecrab_tokens", "ready", "true")).isEqualTo(1);
    assertThat(operator.metrics().count("spacecrab_kube_writes_total")).isGreaterThanOrEqualTo(3);
  }

  @Test
  void theOperatorStaysWithinItsKubernetesWriteLimit() {
    KubeWrites writes = new KubeWrites(true);
    OperatorUnderTest operator = env.startOperator(env.config("--kube-writes-per-second=2", "--kube-write-burst=1",
        "--recheck-interval=PT1H"), List.of(), List.of(writes), null, Clock.systemUTC());
    List<HoneyToken> tokens = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tokens.add(env.client().resource(Tokens.token(NS, "t" + i, "creds-" + i)).create());
    }
    await().atMost(Duration.ofSeconds(60))
        .until(() -> tokens.stream().allMatch(t -> RestartTest.ready(env.kube(), t)));
    assertThat(writes.timed()).as("3 tokens: finalizers, Secrets, statuses, Events").hasSizeGreaterThanOrEqualTo(9);
    assertThat(writes.mostInOneSecond()).as("2 writes/s and a burst of 1: at most 3 in any second")
        .isLessThanOrEqualTo(3);
    assertThat(operator.metrics().count("spacecrab_kube_write_wait_seconds_total")).isGreaterThan(1.0);
  }

  private static List<String> tokenWrites(KubeWrites writes) {
    return writes.all().stream().filter(w -> w.contains("/namespaces/" + NS + "/")).toList();
  }
}
