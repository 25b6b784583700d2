package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.KubeWrites;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

/**
 * What a token costs: four IAM calls for a new one; Kubernetes writes at most three for a new one (finalizer, Secret, status),
 * none while nothing changes (IAM re-checks included), and never more than the client-side write
 * limit allows.
 */
@OwnJvm
class TokenWritesTest {
  static final String NS = "apps";

  @Test
  void aNewTokenCostsAtMostThreeWritesAndAnUnchangedOneNone() {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    KubeWrites writes = new KubeWrites();
    List<String> iamCalls = new CopyOnWriteArrayList<>();
    ExecutionInterceptor iamRecorder = new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if ("Iam".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))) {
          iamCalls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        }
      }
    };
    try (KubeApi kube = KubeApi.start()) {
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      kube.createNamespace(NS);
      OperatorConfig config = OperatorUnderTest.config(moto); // re-checks IAM every ~2 s
      OperatorUnderTest.createRegistry(moto, config);
      try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, List.of(iamRecorder),
          List.of(writes), null)) {
        HoneyToken token = kube.client().resource(Tokens.token(NS, "deploy", "deploy-creds")).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> RestartTest.ready(kube, token));

        List<String> forToken = tokenWrites(writes);
        assertThat(forToken).as("writes for a new token: %s", forToken).hasSizeLessThanOrEqualTo(3)
            .anyMatch(w -> w.endsWith("/honeytokens/deploy")) // the finalizer
            .anyMatch(w -> w.startsWith("POST") && w.contains("/secrets"))
            .anyMatch(w -> w.contains("/honeytokens/deploy/status"));

        // counting the account's users at start, then four calls for the new token; re-checks follow
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
    }
  }

  @Test
  void theOperatorStaysWithinItsKubernetesWriteLimit() {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    KubeWrites writes = new KubeWrites(true);
    try (KubeApi kube = KubeApi.start()) {
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      kube.createNamespace(NS);
      OperatorConfig config = OperatorUnderTest.config(moto, "--kube-writes-per-second=2", "--kube-write-burst=1",
          "--recheck-interval=PT1H");
      OperatorUnderTest.createRegistry(moto, config);
      try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, List.of(), List.of(writes), null)) {
        List<HoneyToken> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
          tokens.add(kube.client().resource(Tokens.token(NS, "t" + i, "creds-" + i)).create());
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> tokens.stream().allMatch(t -> RestartTest.ready(kube, t)));
        assertThat(writes.timed()).as("3 tokens: finalizers, Secrets, statuses, Events").hasSizeGreaterThanOrEqualTo(9);
        assertThat(writes.mostInOneSecond()).as("2 writes/s and a burst of 1: at most 3 in any second")
            .isLessThanOrEqualTo(3);
        assertThat(operator.metrics().count("spacecrab_kube_write_wait_seconds_total")).isGreaterThan(1.0);
      }
    }
  }

  private static List<String> tokenWrites(KubeWrites writes) {
    return writes.all().stream().filter(w -> w.contains("/namespaces/" + NS + "/")).toList();
  }
}
