package io.spacecrab.notify;

import io.spacecrab.backoff.Backoff;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * When to try a failed delivery again: the shared {@link Backoff} (full jitter: a uniformly random
 * delay between zero and {@code min(cap, initial × 2^(failures−1))}), lengthened to the server's
 * {@code Retry-After} when that is longer, and no attempt after the give-up deadline
 * ({@code firstAttempt + giveUpAfter}). A retry that would land past the deadline is moved to
 * the deadline, unless the server asked to wait beyond it: then the schedule gives up.
 */
public final class RetrySchedule {
  private final Backoff backoff;
  private final Duration giveUpAfter;
  private final Random random;

  /** {@code random} is the only source of jitter: seed it to make the schedule repeatable. */
  public RetrySchedule(Backoff backoff, Duration giveUpAfter, Random random) {
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.giveUpAfter = positive(giveUpAfter, "giveUpAfter");
    this.random = Objects.requireNonNull(random, "random");
  }

  /** As above, with {@code new Backoff(initial, cap)}. */
  public RetrySchedule(Duration initial, Duration cap, Duration giveUpAfter, Random random) {
    this(new Backoff(positive(initial, "initial"), positive(cap, "cap")), giveUpAfter, random);
  }

  /**
   * The time of the next attempt after {@code failures} failed ones (at least 1), or empty when
   * it is time to give up.
   *
   * @param firstAttempt when the first attempt was made; the give-up deadline counts from here
   * @param now when the latest attempt failed
   * @param retryAfter what the server asked for in its latest response, if anything
   */
  public Optional<Instant> nextAttempt(int failures, Instant firstAttempt, Instant now,
      Optional<Duration> retryAfter) {
    if (failures < 1) {
      throw new IllegalArgumentException("failures must be at least 1");
    }
    Instant deadline = firstAttempt.plus(giveUpAfter);
    if (!now.isBefore(deadline)) {
      return Optional.empty();
    }
    Duration delay = jitteredDelay(failures);
    Duration asked = retryAfter == null ? Duration.ZERO : retryAfter.orElse(Duration.ZERO);
    if (asked.compareTo(delay) > 0) {
      if (now.plus(asked).isAfter(deadline)) {
        return Optional.empty();
      }
      delay = asked;
    }
    Instant next = now.plus(delay);
    return Optional.of(next.isAfter(deadline) ? deadline : next);
  }

  /** The uniformly random backoff after {@code failures} failures, in [0, ceiling]. */
  Duration jitteredDelay(int failures) {
    return backoff.delay(failures, random);
  }

  /** {@code min(cap, initial × 2^(failures−1))} in milliseconds, without overflow. */
  long ceilingMillis(int failures) {
    return backoff.ceiling(failures).toMillis();
  }

  @Override
  public String toString() {
    return "RetrySchedule[" + backoff + ", giveUpAfter=" + giveUpAfter + "]";
  }

  private static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return d;
  }
}
