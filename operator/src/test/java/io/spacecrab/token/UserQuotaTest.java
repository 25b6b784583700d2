package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spacecrab.testing.MovingClock;
import io.spacecrab.testing.UnsupportedIamUsers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The user count follows changes made by others, counting again only when the quota looks full. */
class UserQuotaTest {

  /** An account whose user count others change; counts how often it is asked. */
  static final class Account extends UnsupportedIamUsers {
    int users;
    int counts;

    @Override
    public List<String> userNames() {
      counts++;
      return java.util.stream.IntStream.range(0, users).mapToObj(i -> "user-" + i).toList();
    }

    @Override
    public Optional<io.spacecrab.aws.AccessKeyLastUse> accessKeyLastUsed(String accessKeyId) {
      return Optional.empty();
    }
  }

  @Test
  void usersFreedByOthersAreNoticedWhenTheQuotaLooksFullAtMostOncePerInterval() {
    Account account = new Account();
    MovingClock time = new MovingClock(Instant.parse("2026-12-01T00:00:00Z"));
    account.users = 3;
    UserQuota quota = new UserQuota(account, 3, time);

    assertThatThrownBy(() -> quota.reserve("a")).hasMessageContaining("already holds 3");
    assertThatThrownBy(() -> quota.reserve("b")).isInstanceOf(TokenFailure.class);
    assertThat(account.counts).as("a full quota is not recounted at once").isEqualTo(1);
    assertThat(quota.full()).isTrue();
    time.now = time.now.plus(UserQuota.RECOUNT_AFTER);
    assertThat(quota.full()).as("an old count no longer says full: a waiting token may count again").isFalse();

    account.users = 1; // someone deleted two users
    quota.reserve("c");
    quota.reserve("d");
    assertThat(account.counts).isEqualTo(2);
    assertThatThrownBy(() -> quota.reserve("e")).isInstanceOf(TokenFailure.class);
    assertThat(account.counts).isEqualTo(2);
  }

  @Test
  void usersTakenByOthersShowWhenIamRefusesAndTheAccountCountsAsFullUntilTheNextCount() {
    Account account = new Account();
    MovingClock time = new MovingClock(Instant.parse("2026-12-01T00:00:00Z"));
    account.users = 1;
    UserQuota quota = new UserQuota(account, 3, time);
    quota.reserve("a"); // we think 2 of 3 are taken; someone made another user meanwhile
    quota.exhausted();   // so IAM refused the CreateUser
    assertThatThrownBy(() -> quota.reserve("b")).isInstanceOf(TokenFailure.class);
    time.now = time.now.plus(Duration.ofMinutes(9));
    assertThatThrownBy(() -> quota.reserve("b")).isInstanceOf(TokenFailure.class);
    assertThat(account.counts).isEqualTo(1);

    account.users = 2; // one of the others' users is gone again
    time.now = time.now.plus(Duration.ofMinutes(1));
    quota.reserve("b");
    assertThat(account.counts).isEqualTo(2);
  }
}
