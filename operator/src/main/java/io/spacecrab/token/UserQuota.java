package io.spacecrab.token;

import io.spacecrab.aws.IamUsers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many IAM users the account holds against the configured maximum (AWS's fixed quota is
 * 5,000). Counted with ListUsers, then kept up to date as the operator creates and deletes users,
 * so that a token beyond the quota fails at once, without a CreateUser call. Users created or
 * deleted by others are noticed by counting again, but only when it matters and at most once per
 * {@link #RECOUNT_AFTER}: when the quota looks full (someone may have freed users), and after IAM
 * itself refused a CreateUser for the quota (someone took users). A count is at most 5 ListUsers
 * pages, so this never becomes a per-token cost.
 */
public final class UserQuota {
  /** The least time between two counts made because the quota looked full. */
  public static final Duration RECOUNT_AFTER = Duration.ofMinutes(10);
  private static final Logger log = LoggerFactory.getLogger(UserQuota.class);

  private final IamUsers iam;
  private final int max;
  private final Clock clock;
  private Integer held;
  private List<String> names;
  private Instant countedAt;

  /** A quota of {@code max} users, counted in IAM on first use (or by {@link #count()}). */
  public UserQuota(IamUsers iam, int max, Clock clock) {
    this.iam = iam;
    this.max = max;
    this.clock = clock;
  }

  /** Counts the account's users now (all ListUsers pages); throws AwsCallException when IAM fails. */
  public synchronized int count() {
    names = iam.userNames();
    held = names.size();
    countedAt = clock.instant();
    log.info("the AWS account holds {} IAM users (maximum {})", held, max);
    return held;
  }

  /** The account's user names at the last count; null before the first. */
  public synchronized List<String> names() {
    return names == null ? null : List.copyOf(names);
  }

  /** Takes one user from the quota, or throws TokenFailure AccountQuotaExceeded when none is left. */
  public synchronized void reserve(String userName) {
    if (held == null || (held >= max && !clock.instant().isBefore(countedAt.plus(RECOUNT_AFTER)))) {
      count();
    }
    if (held >= max) {
      throw new TokenFailure("AccountQuotaExceeded", "IAM user " + userName + " was not created: the account"
          + " already holds " + held + " IAM users and the limit is " + max + ".");
    }
    held++;
  }

  /**
   * True when the account is known to hold the maximum: false while not counted yet, and false
   * once the count is old enough to be taken again (so that one waiting token counts again).
   */
  public synchronized boolean full() {
    return held != null && held >= max && clock.instant().isBefore(countedAt.plus(RECOUNT_AFTER));
  }

  /** Gives back a user reserved by {@link #reserve} that was not created, or one that was deleted. */
  public synchronized void release() {
    if (held != null && held > 0) {
      held--;
    }
  }

  /**
   * IAM refused a CreateUser for the quota: users were made behind our back. The account counts
   * as full until the next count, which comes no sooner than {@link #RECOUNT_AFTER} from now.
   */
  public synchronized void exhausted() {
    held = Math.max(held == null ? 0 : held, max);
    countedAt = clock.instant();
  }
}
