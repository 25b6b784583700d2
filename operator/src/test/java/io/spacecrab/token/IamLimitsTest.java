package io.spacecrab.token;

import static io.spacecrab.token.ClusterHoneyTokenTest.clusterToken;
import static io.spacecrab.token.ClusterHoneyTokenTest.expression;
import static io.spacecrab.token.ClusterHoneyTokenTest.readyReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.FailingNamespace;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.GetUserRequest;
import io.spacecrab.testing.OwnJvm;

/** The account's IAM limits: the user quota fails tokens at once, throttling only slows them down. */
@OwnJvm
class IamLimitsTest {
  static final Duration WAIT = Duration.ofSeconds(90);

  MotoServer moto = MotoServer.shared();
  KubeApi kube;
  OperatorUnderTest operator;
  IamClient adminIam;
  AtomicInteger createUserCalls = new AtomicInteger();

  @BeforeEach
  void setUp() {
    moto.reset();
    kube = KubeApi.start();
    kube.createNamespace(OperatorUnderTest.NAMESPACE);
    adminIam = moto.iam(moto.adminCredentials());
    for (String name : List.of("shop", "lab", "ledger", "billing")) {
      kube.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .withLabels(Map.of("env", "prod")).endMetadata().build()).create();
    }
  }

  @AfterEach
  void tearDown() {
    if (operator != null) {
      operator.close();
    }
    adminIam.close();
    kube.close();
  }

  @Test
  void aTokenBeyondTheUserQuotaFailsAtOnceWithoutCreateUserAndGetsAUserOnceOneIsFreed() {
    int others = adminIam.listUsers().users().size();
    start(List.of(countCreateUser()), "--max-iam-users=" + (others + 3));
    kube.client().resource(clusterToken("quota", expression("env", "In", "prod"), "quota-creds")).create();

    FailingNamespace[] failing = new FailingNamespace[1];
    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = kube.client().resources(ClusterHoneyToken.class).withName("quota").get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getReady()).isEqualTo(3);
      assertThat(current.getStatus().getFailingNamespaces()).singleElement()
          .satisfies(f -> assertThat(f.getReason()).isEqualTo("AccountQuotaExceeded"));
      failing[0] = current.getStatus().getFailingNamespaces().get(0);
    });
    assertThat(adminIam.listUsers().users()).hasSize(others + 3);
    assertThat(createUserCalls.get()).isEqualTo(3);
    assertThat(failing[0].getMessage()).contains("limit is " + (others + 3));

    String freed = List.of("shop", "lab", "ledger", "billing").stream()
        .filter(ns -> !ns.equals(failing[0].getNamespace())).findFirst().orElseThrow();
    kube.client().namespaces().withName(freed).edit(n -> {
      n.getMetadata().setLabels(Map.of("env", "dev"));
      return n;
    });

    await().atMost(WAIT).untilAsserted(() -> {
      HoneyToken waiting = kube.client().resources(HoneyToken.class).inNamespace(OperatorUnderTest.NAMESPACE)
          .withName("quota." + failing[0].getNamespace()).get();
      assertThat(Conditions.find(waiting.getStatus().getConditions(), Conditions.READY).orElseThrow().getReason())
          .isEqualTo("Issued");
    });
  }

  @Test
  void aTokenWaitingForAFreeUserMakesNoIamCallWhileTheAccountStaysFullAlsoAfterARestart() {
    int others = adminIam.listUsers().users().size();
    start(List.of(), "--max-iam-users=" + (others + 3));
    kube.client().resource(clusterToken("quota", expression("env", "In", "prod"), "quota-creds")).create();
    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = kube.client().resources(ClusterHoneyToken.class).withName("quota").get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getReady()).isEqualTo(3);
      assertThat(current.getStatus().getFailingNamespaces()).singleElement()
          .satisfies(f -> assertThat(f.getReason()).isEqualTo("AccountQuotaExceeded"));
    });
    Set<String> issuedUsers = kube.client().resources(HoneyToken.class).inAnyNamespace().list().getItems().stream()
        .map(t -> t.getStatus().getUserName()).filter(Objects::nonNull).collect(Collectors.toSet());
    assertThat(issuedUsers).hasSize(3);

    operator.close();
    List<String> getUser = new CopyOnWriteArrayList<>();
    operator = OperatorUnderTest.start(kube, moto, OperatorUnderTest.config(moto, "--max-iam-users=" + (others + 3)),
        List.of(recordGetUser(getUser)), List.of(), null);

    // --recheck-interval is PT2S here: within 6 s every token is reconciled and re-checked at least
    // once; the Ready ones ask IAM for their users, the waiting one does not ask for its own
    await().pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      assertThat(getUser).as("the Ready tokens are re-checked").isNotEmpty();
      assertThat(getUser).as("GetUser only for the users of Ready tokens").allMatch(issuedUsers::contains);
    });
    assertThat(kube.client().resources(HoneyToken.class).inAnyNamespace().list().getItems())
        .filteredOn(t -> t.getStatus().getUserName() == null).singleElement()
        .satisfies(t -> assertThat(Conditions.find(t.getStatus().getConditions(), Conditions.READY).orElseThrow()
            .getReason()).isEqualTo("AccountQuotaExceeded"));
  }

  @Test
  void everyTokenReachesReadyWhileAQuarterOfIamCallsAreThrottled() {
    int others = adminIam.listUsers().users().size();
    AwsFaults throttling = AwsFaults.throttling(0.25);
    start(List.of(throttling), "--iam-calls-per-second=20", "--iam-burst=5");
    kube.client().resource(clusterToken("throttled", expression("env", "In", "prod"), "throttled-creds")).create();

    await().atMost(WAIT).untilAsserted(() -> {
      ClusterHoneyToken current = kube.client().resources(ClusterHoneyToken.class).withName("throttled").get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(current.getStatus().getReady()).isEqualTo(4);
      assertThat(readyReason(current)).isEqualTo("AllReady");
    });
    assertThat(throttling.injected()).isPositive();
    assertThat(adminIam.listUsers().users()).hasSize(others + 4);
  }

  void start(List<ExecutionInterceptor> interceptors, String... settings) {
    OperatorConfig config = OperatorUnderTest.config(moto, settings);
    OperatorUnderTest.createRegistry(moto, config);
    operator = OperatorUnderTest.start(kube, moto, config, interceptors, List.of(), null);
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
}
