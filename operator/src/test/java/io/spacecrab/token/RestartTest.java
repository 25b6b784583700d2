package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import io.spacecrab.testing.OwnJvm;

/** A restart with Ready tokens makes no per-token IAM calls; drift is still repaired afterwards. */
@OwnJvm
class RestartTest {
  static final String NS = "apps";

  @Test
  void restartDoesNotRecheckEveryTokenAgainstIam() {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    try (KubeApi kube = KubeApi.start()) {
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      kube.createNamespace(NS);
      OperatorConfig config = OperatorUnderTest.config(moto, "--recheck-interval=PT1H");
      OperatorUnderTest.createRegistry(moto, config);
      List<HoneyToken> tokens = new ArrayList<>();
      try (OperatorUnderTest first = OperatorUnderTest.start(kube, moto, config)) {
        for (int i = 0; i < 8; i++) {
          HoneyToken token = Tokens.token(NS, "t" + i, "creds-" + i);
          if (i % 2 == 0) {
            // an expiry far ahead changes nothing about re-checks
            token.getSpec().setExpiresAt("2099-01-01T00:00:00Z");
          }
          tokens.add(kube.client().resource(token).create());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> tokens.stream().allMatch(t -> ready(kube, t)));
      }
      List<String> iamCalls = new CopyOnWriteArrayList<>();
      ExecutionInterceptor counter = new ExecutionInterceptor() {
        @Override
        public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
          if ("Iam".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
            iamCalls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
          }
        }
      };
      try (OperatorUnderTest second = OperatorUnderTest.start(kube, moto, config, List.of(counter), List.of(), null)) {
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
            assertThat(iamCalls).as("IAM calls after a restart with 8 Ready tokens").hasSizeLessThanOrEqualTo(1));

        kube.client().secrets().inNamespace(NS).withName("creds-3").delete();
        await().atMost(Duration.ofSeconds(30))
            .until(() -> kube.client().secrets().inNamespace(NS).withName("creds-3").get() != null);
        assertThat(iamCalls).contains("GetUser", "ListAccessKeys");
      }
    }
  }

  static boolean ready(KubeApi kube, HoneyToken token) {
    HoneyToken t = kube.client().resource(token).get();
    return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
