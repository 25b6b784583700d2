package io.spacecrab.token;

import io.javaoperatorsdk.operator.processing.retry.Retry;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter for retryable failures (throttling, 5xx, eventual
 * consistency): a random delay up to min(cap, initial * 2^attempt). Never gives up; permanent
 * failures do not come here.
 */
public class JitteredRetry implements Retry {
  private final long initialMillis;
  private final long capMillis;

  public JitteredRetry(Duration initial, Duration cap) {
    this.initialMillis = initial.toMillis();
    this.capMillis = cap.toMillis();
  }

  @Override
  public RetryExecution initExecution() {
    return new RetryExecution() {
      private int attempt;

      @Override
      public Optional<Long> nextDelay() {
        long ceiling = Math.min(capMillis, initialMillis << Math.min(attempt, 20));
        attempt++;
        return Optional.of(ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1));
      }

      @Override
      public boolean isLastAttempt() {
        return false;
      }

      @Override
      public int getAttemptCount() {
        return attempt;
      }
    };
  }
}
