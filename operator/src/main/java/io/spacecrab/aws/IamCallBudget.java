package io.spacecrab.aws;

import io.spacecrab.ratelimit.NanoClock;
import io.spacecrab.ratelimit.TokenBucket;

/**
 * One process-wide budget for IAM calls, shared by every reconcile thread: a token bucket of
 * {@code burst} permits ({@link TokenBucket}) refilled at the current rate, which never exceeds the
 * configured rate R. No 1-second window holds more than R+burst grants, and none that starts with
 * the burst spent (as it stays while callers keep waiting) holds more than R+1; waiters are served
 * in arrival order. {@link #onThrottled()} multiplies the current rate down (at most once per decrease
 * interval, never below the floor) and spends any stored burst; {@link #onSuccess()} adds back
 * towards R.
 */
public final class IamCallBudget {
  private final IamBudgetSettings settings;
  private final TokenBucket bucket;
  private final long decreaseIntervalNanos;

  private double rate;
  private long decreasedAt;
  private long throttled;

  /** The budget the configuration describes (rate, burst, default adaptation), on the system clock. */
  public static IamCallBudget of(io.spacecrab.config.OperatorConfig config) {
    return new IamCallBudget(IamBudgetSettings.of(config.iamCallsPerSecond(), config.iamBurst()));
  }

  /** A budget on the system clock. */
  public IamCallBudget(IamBudgetSettings settings) {
    this(settings, NanoClock.SYSTEM);
  }

  /** A budget on the given clock, starting with a full burst at the configured rate. */
  public IamCallBudget(IamBudgetSettings settings, NanoClock clock) {
    this.settings = settings;
    this.bucket = new TokenBucket(settings.callsPerSecond(), settings.burst(), clock);
    this.decreaseIntervalNanos = settings.decreaseInterval().toNanos();
    this.rate = settings.callsPerSecond();
    this.decreasedAt = clock.nanoTime() - decreaseIntervalNanos;
  }

  /**
   * Blocks until the caller may make one IAM call, after every caller that asked earlier; returns
   * the clock reading at the grant. Throws InterruptedException, consuming nothing, when interrupted.
   */
  public long acquire() throws InterruptedException {
    return bucket.acquire();
  }

  /** IAM answered Throttling: lowers the rate (at most once per decrease interval, not below the floor) and drops the stored burst. */
  public synchronized void onThrottled() {
    bucket.drain();
    throttled++;
    long now = bucket.clock().nanoTime();
    if (now - decreasedAt >= decreaseIntervalNanos) {
      rate = Math.max(settings.minCallsPerSecond(), rate * settings.decreaseFactor());
      bucket.setRate(rate);
      decreasedAt = now;
    }
  }

  /** An IAM call succeeded: raises the rate by the configured step, never above the configured rate. */
  public synchronized void onSuccess() {
    if (rate < settings.callsPerSecond()) {
      rate = Math.min(settings.callsPerSecond(), rate + settings.increasePerSuccess());
      bucket.setRate(rate);
    }
  }

  /** The rate now in force, in calls per second (for metrics); between the floor and the configured rate. */
  public synchronized double currentRate() {
    return rate;
  }

  /** About how many callers are blocked in {@link #acquire()} behind the one waiting for the next permit (for metrics). */
  public int waitingCallers() {
    return bucket.waiting();
  }

  /** Permits granted so far: the IAM calls made (for metrics). */
  public long granted() {
    return bucket.granted();
  }

  /** Throttling answers reported so far (for metrics). */
  public synchronized long throttled() {
    return throttled;
  }
}
