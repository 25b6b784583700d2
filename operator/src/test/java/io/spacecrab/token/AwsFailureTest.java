package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.model.StatusType;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IAM answers the operator with throttling, quota and permission errors (injected: moto has none). */
@OwnJvm
class AwsFailureTest {
  static final String NS = "team-b";
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS).flags("--recheck-interval=PT1H")
      .build();

  @Test
  void throttledIamStillIssuesEveryTokenExactlyOnce() {
    AwsFaults throttling = AwsFaults.throttling(0.25);
    List<HoneyToken> tokens = new ArrayList<>();
    try (OperatorUnderTest operator = OperatorUnderTest.start(env.kube(), env.moto(), env.config(), List.of(throttling), List.of(),
        null)) {
      for (int i = 0; i < 8; i++) {
        tokens.add(env.client().resource(Tokens.token(NS, "t" + i, "creds-" + i)).create());
      }
      await().atMost(Duration.ofSeconds(90)).until(() -> tokens.stream().allMatch(t -> reason(t).equals("Issued")));
    }
    assertThat(throttling.injected()).as("a quarter of some 33 IAM calls was throttled").isGreaterThan(3);
    var users = CrashPointTest.tokenUsers(env.adminIam());
    assertThat(users).hasSize(8);
    for (var user : users) {
      assertThat(env.adminIam().listAccessKeys(r -> r.userName(user.userName())).accessKeyMetadata())
          .singleElement().satisfies(k -> assertThat(k.status()).isEqualTo(StatusType.ACTIVE));
    }
  }

  @Test
  void exhaustedUserQuotaIsReportedOnceWithoutRetrying() {
    AwsFaults quota = AwsFaults.always(op -> op.equals("CreateUser"), 409, "LimitExceeded");
    try (OperatorUnderTest operator = OperatorUnderTest.start(env.kube(), env.moto(), env.config(), List.of(quota), List.of(), null)) {
      HoneyToken token = env.client().resource(Tokens.token(NS, "t", "creds")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("AccountQuotaExceeded"));
      int calls = quota.injected();
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> quota.injected() == calls);
      assertThat(message(token)).contains("quota");
      assertThat(warnings()).contains("AccountQuotaExceeded");
    }
    assertThat(CrashPointTest.tokenUsers(env.adminIam())).isEmpty();
  }

  @Test
  void operatorWithoutIamPermissionSaysAccessDenied() {
    AwsFaults denied = AwsFaults.always(op -> op.equals("GetUser"), 403, "AccessDenied");
    try (OperatorUnderTest operator = OperatorUnderTest.start(env.kube(), env.moto(), env.config(), List.of(denied), List.of(), null)) {
      HoneyToken token = env.client().resource(Tokens.token(NS, "t", "creds")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("AccessDenied"));
      assertThat(message(token)).contains("IAM GetUser").contains("AccessDenied");
      int calls = denied.injected();
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> denied.injected() == calls);
    }
  }

  @Test
  void serverErrorsAreRetriedWithBackoffUntilIamRecovers() {
    AwsFaults outage = AwsFaults.always(op -> op.equals("CreateAccessKey"), 500, "ServiceFailure");
    List<software.amazon.awssdk.core.interceptor.ExecutionInterceptor> faults = new ArrayList<>(List.of(outage));
    HoneyToken token;
    try (OperatorUnderTest operator = OperatorUnderTest.start(env.kube(), env.moto(), env.config(), faults, List.of(), null)) {
      token = env.client().resource(Tokens.token(NS, "t", "creds")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("AwsUnavailable"));
      assertThat(message(token)).contains("CreateAccessKey").contains("retrying");
      await().atMost(Duration.ofSeconds(10)).until(() -> outage.injected() >= 2);
    }
    try (OperatorUnderTest recovered = OperatorUnderTest.start(env.kube(), env.moto(), env.config())) {
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("Issued"));
    }
  }

  String reason(HoneyToken token) {
    HoneyToken current = env.client().resource(token).get();
    return current.getStatus() == null ? "" : Conditions.find(current.getStatus().getConditions(), Conditions.READY)
        .map(c -> c.getReason()).orElse("");
  }

  String message(HoneyToken token) {
    return Conditions.find(env.client().resource(token).get().getStatus().getConditions(), Conditions.READY)
        .orElseThrow().getMessage();
  }

  List<String> warnings() {
    // Events about a tenant's token are written in the operator's namespace, never in the tenant's
    return env.client().v1().events().inNamespace(OperatorUnderTest.NAMESPACE).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).map(Event::getReason).toList();
  }
}
