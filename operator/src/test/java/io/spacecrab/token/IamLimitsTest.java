package io.spacecrab.token;

import static io.spacecrab.token.ClusterHoneyTokenTest.clusterToken;
import static io.spacecrab.token.ClusterHoneyTokenTest.expression;
import static io.spacecrab.token.ClusterHoneyTokenTest.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.FailingNamespace;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.OperatorUnderTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.iam.model.GetUserRequest;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The account's IAM limits: the user quota fails tokens at once, throttling only slows them down. */
@OwnJvm
class IamLimitsTest {
  static final Duration WAIT = Duration.ofSeconds(90);
  static final Map<String, String> PROD = Map.of("env", "prod");

  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespace("shop", PROD).namespace("lab", PROD)
      .namespace("ledger", PROD).namespace("billing", PROD).build();
  final AtomicInteger createUserCalls = new AtomicInteger();

  @Test
  void aTokenBeyondTheUserQuotaFailsAtOnceWithoutCreateUserAndGetsAUserOnceOneIsFreed() {
    int others = env.adminIam().listUsers().users().size();
    start(List.of(countCreateUser()), "--max-iam-users=" + (others + 3));
    env.client().resource(clusterToken("quota", expression("env", "In", "prod"), "quota-creds")).create();

    FailingNamespace failing = threeReadyOneOverQuota();
    assertThat(env.adminIam().listUsers().users()).hasSize(others + 3);
    assertThat(createUserCalls.get()).isEqualTo(3);
    assertThat(failing.getMessage()).contains("limit is " + (others + 3));

    String freed = List.of("shop", "lab", "ledger", "billing").stream()
        .filter(ns -> !ns.equals(failing.getNamespace())).findFirst().orElseThrow();
    env.client().namespaces().withName(freed).edit(n -> {
      n.getMetadata().setLabels(Map.of("env", "dev"));
      return n;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      HoneyToken waiting = env.client().resources(HoneyToken.class).inNamespace(OperatorUnderTest.NAMESPACE)
          .withName("quota." + failing.getNamespace()).get();
      assertThat(Conditions.find(waiting.getStatus().getConditions(), Conditions.READY).orElseThrow().getReason())
          .isEqualTo("Issued");
    });
  }

  @Test
  void aTokenWaitingForAFreeUserMakesNoIamCallWhileTheAccountStaysFullAlsoAfterARestart() {
    int others = env.adminIam().listUsers().users().size();
    start(List.of(), "--max-iam-users=" + (others + 3));
    env.client().resource(clusterToken("quota", expression("env", "In", "prod"), "quota-creds")).create();
    threeReadyOneOverQuota();
    Set<String> issuedUsers = env.client().resources(HoneyToken.class).inAnyNamespace().list().getItems().stream()
        .map(t -> t.getStatus().getUserName()).filter(Objects::nonNull).collect(Collectors.toSet());
    assertThat(issuedUsers).hasSize(3);

    List<String> getUser = new CopyOnWriteArrayList<>();
    start(List.of(recordGetUser(getUser)), "--max-iam-users=" + (others + 3));

    // --recheck-interval is PT2S here: within 6 s every token is reconciled and re-checked at least
    // once; the Ready ones ask IAM for their users, the waiting one does not ask for its own
    await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(getUser).as("the Ready tokens are re-checked").isNotEmpty();
      assertThat(getUser).as("GetUser only for the users of Ready tokens").allMatch(issuedUsers::contains);
    });
    assertThat(env.client().resources(HoneyToken.class).inAnyNamespace().list().getItems())
        .filteredOn(t -> t.getStatus().getUserName() == null).singleElement()
        .satisfies(t -> assertThat(Conditions.find(t.getStatus().getConditions(), Conditions.READY).orElseThrow()
            .getReason()).isEqualTo("AccountQuotaExceeded"));
  }

  @Test
  void everyTokenReachesReadyWhileAQuarterOfIamCallsAreThrottled() {
    int others = env.adminIam().listUsers().users().size();
    AwsFaults throttling = AwsFaults.throttling(0.25);
    start(List.of(throttling), "--iam-calls-per-second=20", "--iam-burst=5");
    env.client().resource(clusterToken("throttled", expression("env", "In", "prod"), "throttled-creds")).create();

    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = env.client().resources(ClusterHoneyToken.class).withName("throttled").get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getReady()).isEqualTo(4);
      assertThat(readyReason(current)).isEqualTo("AllReady");
    });
    assertThat(throttling.injected()).isPositive();
    assertThat(env.adminIam().listUsers().users()).hasSize(others + 4);
  }

  void start(List<ExecutionInterceptor> interceptors, String... settings) {
    env.startOperator(env.config(settings), interceptors, List.of(), null, Clock.systemUTC());
  }

  static ExecutionInterceptor recordGetUser(List<String> userNames) {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof GetUserRequest request) {
          userNames.add(request.userName());
        }
      }
    };
  }

  ExecutionInterceptor countCreateUser() {
    return new ExecutionInterceptor() {
      @Override
      public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if ("CreateUser".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
          createUserCalls.incrementAndGet();
        }
      }
    };
  }

  /** Waits until the ClusterHoneyToken "quota" has 3 Ready children and one namespace over quota. */
  private FailingNamespace threeReadyOneOverQuota() {
    FailingNamespace[] failing = new FailingNamespace[1];
    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = env.client().resources(ClusterHoneyToken.class).withName("quota").get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getReady()).isEqualTo(3);
      assertThat(current.getStatus().getFailingNamespaces()).singleElement()
          .satisfies(f -> assertThat(f.getReason()).isEqualTo("AccountQuotaExceeded"));
      failing[0] = current.getStatus().getFailingNamespaces().get(0);
    });
    return failing[0];
  }
}
