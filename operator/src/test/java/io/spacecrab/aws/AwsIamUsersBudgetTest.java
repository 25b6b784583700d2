package io.spacecrab.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spacecrab.ratelimit.InMemoryNanoClock;
import io.spacecrab.testing.AwsFaults;
import io.spacecrab.testing.MotoServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import io.spacecrab.testing.OwnJvm;

/** Every IAM attempt of the adapter draws from the shared budget, and throttling answers slow it down. */
@OwnJvm
class AwsIamUsersBudgetTest {
  MotoServer moto = MotoServer.shared();
  InMemoryNanoClock clock = new InMemoryNanoClock();

  @BeforeEach
  void setUp() {
    moto.reset();
  }

  @Test
  void everyIamCallWaitsForAPermitOfTheBudget() {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(2, 1), clock);
    IamUsers iam = adapter(budget, List.of());

    iam.createUser("report-writer-1a2b3c4d", "/", null, Map.of("k", "v"));
    assertThat(iam.findUser("report-writer-1a2b3c4d")).isPresent();
    assertThat(iam.listAccessKeys("report-writer-1a2b3c4d")).isEmpty();
    assertThat(iam.userNames()).contains("report-writer-1a2b3c4d");

    // 4 calls at 2 per second with a burst of 1: the first is free, the other three wait 0.5 s each
    assertThat(clock.nanoTime() / 1e9).isCloseTo(1.5, within(0.001));
  }

  @Test
  void throttlingAnswersAreRetriedInsideTheBudgetAndLowerItsRate() {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(10, 1), clock);
    AwsFaults throttled = AwsFaults.always("GetUser"::equals, 400, "Throttling");
    IamUsers iam = adapter(budget, List.of(throttled));

    assertThatThrownBy(() -> iam.findUser("report-writer-1a2b3c4d")).isInstanceOf(AwsCallException.class)
        .satisfies(e -> assertThat(((AwsCallException) e).kind()).isEqualTo(AwsCallException.Kind.THROTTLED));

    assertThat(throttled.injected()).isEqualTo(AwsIamUsers.MAX_ATTEMPTS);
    assertThat(budget.currentRate()).isLessThan(10);
  }

  @Test
  void countsUsersOverEveryPage() {
    try (var client = moto.iam(moto.adminCredentials())) {
      IamUsers iam = new AwsIamUsers(client, client, new IamCallBudget(IamBudgetSettings.of(100, 100), clock), 2);
      int before = client.listUsers().users().size();
      for (int i = 0; i < 5; i++) {
        iam.createUser("batch-runner-0000000" + i, "/", null, Map.of());
      }
      assertThat(iam.userNames()).hasSize(before + 5).contains("batch-runner-00000004");
    }
  }

  IamUsers adapter(IamCallBudget budget, List<ExecutionInterceptor> interceptors) {
    return new AwsClients(MotoServer.REGION, moto.endpoint(), moto.adminCredentials(), interceptors)
        .iamUsers(budget);
  }
}
