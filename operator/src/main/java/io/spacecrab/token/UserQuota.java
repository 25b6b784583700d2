package io.spacecrab.token;

import io.spacecrab.aws.IamUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many IAM users the account holds against the configured maximum (AWS's fixed quota is
 * 5,000). Counted once with ListUsers, then kept up to date as the operator creates and deletes
 * users, so that a token beyond the quota fails at once, without a CreateUser call.
 */
public final class UserQuota {
  private static final Logger log = LoggerFactory.getLogger(UserQuota.class);

  private final IamUsers iam;
  private final int max;
  private Integer held;

  /** A quota of {@code max} users, counted in IAM on first use (or by {@link #count()}). */
  public UserQuota(IamUsers iam, int max) {
    this.iam = iam;
    this.max = max;
  }

  /** Counts the account's users now (all ListUsers pages); throws AwsCallException when IAM fails. */
  public synchronized int count() {
    held = iam.countUsers();
    log.info("the AWS account holds {} IAM users (maximum {})", held, max);
    return held;
  }

  /** Takes one user from the quota, or throws TokenFailure AccountQuotaExceeded when none is left. */
  public synchronized void reserve(String userName) {
    if (held == null) {
      count();
    }
    if (held >= max) {
      throw new TokenFailure("AccountQuotaExceeded", "IAM user " + userName + " was not created: the account"
          + " already holds " + held + " IAM users and the limit is " + max + ".");
    }
    held++;
  }

  /** True when the account is known to hold the maximum (false while not counted yet). */
  public synchronized boolean full() {
    return held != null && held >= max;
  }

  /** Gives back a user reserved by {@link #reserve} that was not created, or one that was deleted. */
  public synchronized void release() {
    if (held != null && held > 0) {
      held--;
    }
  }
}
