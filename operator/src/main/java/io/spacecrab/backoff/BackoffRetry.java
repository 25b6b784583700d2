package io.spacecrab.backoff;

import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.util.Objects;
import java.util.Optional;

/**
 * JOSDK's retry of a reconcile that threw: waits as {@link Backoff} says after each failure in a
 * row and never gives up (a permanent failure is reported in status, not thrown, so it does not
 * come here).
 */
public final class BackoffRetry implements Retry {
  private final Backoff backoff;

  public BackoffRetry(Backoff backoff) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
  }

  @Override
  public RetryExecution initExecution() {
    return new RetryExecution() {
      private int failures;

      @Override
      public Optional<Long> nextDelay() {
        failures++;
        return Optional.of(backoff.delay(failures).toMillis());
      }

      @Override
      public boolean isLastAttempt() {
        return false;
      }

      @Override
      public int getAttemptCount() {
        return failures;
      }
    };
  }

  @Override
  public String toString() {
    return "BackoffRetry[" + backoff + "]";
  }
}
