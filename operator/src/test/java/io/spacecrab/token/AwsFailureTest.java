package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.StatusType;
import io.spacecrab.testing.OwnJvm;

/** IAM answers the operator with throttling, quota and permission errors (injected: moto has none). */
@OwnJvm
class AwsFailureTest {
  static final String NS = "team-b";
  final MotoServer moto = MotoServer.shared();
  KubeApi kube;
  OperatorConfig config;
  IamClient adminIam;

  @BeforeEach
  void setUp() {
    moto.reset();
    kube = KubeApi.start();
    kube.createNamespace(OperatorUnderTest.NAMESPACE);
    kube.createNamespace(NS);
    config = OperatorUnderTest.config(moto, "--recheck-interval=PT1H");
    OperatorUnderTest.createRegistry(moto, config);
    adminIam = moto.iam(moto.adminCredentials());
  }

  @AfterEach
  void tearDown() {
    adminIam.close();
    kube.close();
  }

  @Test
  void throttledIamStillIssuesEveryTokenExactlyOnce() {
    AwsFaults throttling = AwsFaults.throttling(0.25);
    List<HoneyToken> tokens = new ArrayList<>();
    try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, List.of(throttling), List.of(),
        null)) {
      for (int i = 0; i < 8; i++) {
        tokens.add(kube.client().resource(Tokens.token(NS, "t" + i, "creds-" + i)).create());
      }
      await().atMost(Duration.ofSeconds(90)).until(() -> tokens.stream().allMatch(t -> reason(t).equals("Issued")));
    }
    assertThat(throttling.injected()).as("a quarter of some 33 IAM calls was throttled").isGreaterThan(3);
    var users = CrashPointTest.tokenUsers(adminIam);
    assertThat(users).hasSize(8);
    for (var user : users) {
      assertThat(adminIam.listAccessKeys(r -> r.userName(user.userName())).accessKeyMetadata())
          .singleElement().satisfies(k -> assertThat(k.status()).isEqualTo(StatusType.ACTIVE));
    }
  }

  @Test
  void exhaustedUserQuotaIsReportedOnceWithoutRetrying() {
    AwsFaults quota = AwsFaults.always(op -> op.equals("CreateUser"), 409, "LimitExceeded");
    try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, List.of(quota), List.of(), null)) {
      HoneyToken token = kube.client().resource(Tokens.token(NS, "t", "creds")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("AccountQuotaExceeded"));
      int calls = quota.injected();
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> quota.injected() == calls);
      assertThat(message(token)).contains("quota");
      assertThat(warnings()).contains("AccountQuotaExceeded");
    }
    assertThat(CrashPointTest.tokenUsers(adminIam)).isEmpty();
  }

  @Test
  void operatorWithoutIamPermissionSaysAccessDenied() {
    AwsFaults denied = AwsFaults.always(op -> op.equals("GetUser"), 403, "AccessDenied");
    try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, List.of(denied), List.of(), null)) {
      HoneyToken token = kube.client().resource(Tokens.token(NS, "t", "creds")).create();
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
    try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config, faults, List.of(), null)) {
      token = kube.client().resource(Tokens.token(NS, "t", "creds")).create();
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("AwsUnavailable"));
      assertThat(message(token)).contains("CreateAccessKey").contains("retrying");
      await().atMost(Duration.ofSeconds(10)).until(() -> outage.injected() >= 2);
    }
    try (OperatorUnderTest recovered = OperatorUnderTest.start(kube, moto, config)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> reason(token).equals("Issued"));
    }
  }

  String reason(HoneyToken token) {
    HoneyToken current = kube.client().resource(token).get();
    return current.getStatus() == null ? "" : Conditions.find(current.getStatus().getConditions(), Conditions.READY)
        .map(c -> c.getReason()).orElse("");
  }

  String message(HoneyToken token) {
    return Conditions.find(kube.client().resource(token).get().getStatus().getConditions(), Conditions.READY)
        .orElseThrow().getMessage();
  }

  List<String> warnings() {
    // Events about a tenant's token are written in the operator's namespace, never in the tenant's
    return kube.client().v1().events().inNamespace(OperatorUnderTest.NAMESPACE).list().getItems().stream()
        .filter(e -> "Warning".equals(e.getType())).map(Event::getReason).toList();
  }
}
