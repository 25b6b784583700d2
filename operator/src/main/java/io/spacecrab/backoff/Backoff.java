package io.spacecrab.backoff;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter, the one wait every SpaceCrab retry uses (reconcile
 * retries, alert delivery retries, the detector's queue polls): after the n-th failure in a row
 * (n ≥ 1) the wait is drawn uniformly from {@code [0, ceiling(n)]}, with
 * {@code ceiling(n) = min(cap, base × 2^(n−1))}. Full jitter spreads the retries of many callers
 * that failed together over the whole window instead of bunching them at its end.
 *
 * @param base the ceiling after the first failure
 * @param cap the largest ceiling, reached after {@code log2(cap / base) + 1} failures
 */
public record Backoff(Duration base, Duration cap) {

  public Backoff {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(cap, "cap");
    if (base.toMillis() < 1) {
      throw new IllegalArgumentException("the backoff base must be at least 1 ms");
    }
    if (cap.compareTo(base) < 0) {
      throw new IllegalArgumentException("the backoff cap must not be shorter than its base");
    }
  }

  /** {@code min(cap, base × 2^(failures−1))}, in whole milliseconds, for any number of failures ≥ 1. */
  public Duration ceiling(int failures) {
    return Duration.ofMillis(ceilingMillis(failures));
  }

  /** A uniformly random wait in {@code [0, ceiling(failures)]} (whole milliseconds) drawn from {@code random}. */
  public Duration delay(int failures, RandomGenerator random) {
    return Duration.ofMillis(random.nextLong(ceilingMillis(failures) + 1));
  }

  /** As {@link #delay(int, RandomGenerator)}, drawn from this thread's random generator. */
  public Duration delay(int failures) {
    return delay(failures, ThreadLocalRandom.current());
  }

  private long ceilingMillis(int failures) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1");
    }
    long capMillis = cap.toMillis();
    long ceiling = base.toMillis();
    for (int i = 1; i < failures && ceiling < capMillis; i++) {
      ceiling *= 2; // stops at the first doubling past the cap: never overflows
    }
    return Math.min(ceiling, capMillis);
  }
}
