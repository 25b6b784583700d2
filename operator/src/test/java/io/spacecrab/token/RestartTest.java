package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.IamCalls;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import io.spacecrab.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A restart with Ready tokens makes no per-token IAM calls; drift is still repaired afterwards. */
@OwnJvm
class RestartTest {
  static final String NS = "apps";
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS)
      .flags("--recheck-interval=PT1H").build();

  @Test
  void restartDoesNotRecheckEveryTokenAgainstIam() {
    env.startOperator(env.config());
    List<HoneyToken> tokens = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      HoneyToken token = Tokens.token(NS, "t" + i, "creds-" + i);
      if (i % 2 == 0) {
        // an expiry far ahead changes nothing about re-checks
        token.getSpec().setExpiresAt("2099-01-01T00:00:00Z");
      }
      tokens.add(env.client().resource(token).create());
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> tokens.stream().allMatch(t -> ready(env.kube(), t)));

    IamCalls iamCalls = new IamCalls();
    // the restart: the first operator stops, a second starts on the same API server, IAM and registry
    env.startOperator(env.config(), List.of(iamCalls), List.of(), null, Clock.systemUTC());
    await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
        assertThat(iamCalls.operations()).as("IAM calls after a restart with 8 Ready tokens")
            .hasSizeLessThanOrEqualTo(1));

    env.client().secrets().inNamespace(NS).withName("creds-3").delete();
    await().atMost(Duration.ofSeconds(30))
        .until(() -> env.client().secrets().inNamespace(NS).withName("creds-3").get() != null);
    assertThat(iamCalls.operations()).contains("GetUser", "ListAccessKeys");
  }

  static boolean ready(KubeApi kube, HoneyToken token) {
    HoneyToken t = kube.client().resource(token).get();
    return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
