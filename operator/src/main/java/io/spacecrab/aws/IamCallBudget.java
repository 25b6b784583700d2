package io.spacecrab.aws;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One process-wide budget for IAM calls, shared by every reconcile thread: a token bucket of
 * {@code burst} permits refilled at the current rate, which never exceeds the configured rate R.
 * No 1-second window holds more than R+burst grants, and none that starts with the burst spent
 * (as it stays while callers keep waiting) holds more than R+1. Waiters are served in
 * arrival order (a fair lock held by the one caller that waits for the next permit), so no thread
 * starves. {@link #onThrottled()} multiplies the current rate down (at most once per decrease
 * interval, never below the floor) and spends any stored burst; {@link #onSuccess()} adds back
 * towards R.
 */
public final class IamCallBudget {
  private static final double NANOS_PER_SECOND = 1e9;
  /** Float rounding slack, so a permit that refilled to 0.999999999 after an exact sleep is granted. */
  private static final double ROUNDING = 1e-9;

  private final IamBudgetSettings settings;
  private final NanoClock clock;
  private final ReentrantLock queue = new ReentrantLock(true);
  private final Object bucket = new Object();
  private final long decreaseIntervalNanos;

  private double permits;
  private double rate;
  private long refilledAt;
  private long decreasedAt;
  private long granted;
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
    this.clock = clock;
    this.decreaseIntervalNanos = settings.decreaseInterval().toNanos();
    this.permits = settings.burst();
    this.rate = settings.callsPerSecond();
    this.refilledAt = clock.nanoTime();
    this.decreasedAt = refilledAt - decreaseIntervalNanos;
  }

  /**
   * Blocks until the caller may make one IAM call, after every caller that asked earlier; returns
   * the clock reading at the grant. Throws InterruptedException, consuming nothing, when interrupted.
   */
  public long acquire() throws InterruptedException {
    queue.lockInterruptibly();
    try {
      while (true) {
        long wait;
        synchronized (bucket) {
          long now = clock.nanoTime();
          refill(now);
          if (permits >= 1 - ROUNDING) {
            permits -= 1;
            granted++;
            return now;
          }
          wait = Math.max(1, (long) Math.ceil((1 - permits) * NANOS_PER_SECOND / rate));
        }
        clock.sleepNanos(wait);
      }
    } finally {
      queue.unlock();
    }
  }

  /** IAM answered Throttling: lowers the rate (at most once per decrease interval, not below the floor) and drops the stored burst. */
  public void onThrottled() {
    synchronized (bucket) {
      long now = clock.nanoTime();
      refill(now);
      permits = Math.min(permits, 0);
      throttled++;
      if (now - decreasedAt >= decreaseIntervalNanos) {
        rate = Math.max(settings.minCallsPerSecond(), rate * settings.decreaseFactor());
        decreasedAt = now;
      }
    }
  }

  /** An IAM call succeeded: raises the rate by the configured step, never above the configured rate. */
  public void onSuccess() {
    synchronized (bucket) {
      if (rate < settings.callsPerSecond()) {
        refill(clock.nanoTime());
        rate = Math.min(settings.callsPerSecond(), rate + settings.increasePerSuccess());
      }
    }
  }

  /** The rate now in force, in calls per second (for metrics); between the floor and the configured rate. */
  public double currentRate() {
    synchronized (bucket) {
      return rate;
    }
  }

  /** About how many callers are blocked in {@link #acquire()} behind the one waiting for the next permit (for metrics). */
  public int waitingCallers() {
    return queue.getQueueLength();
  }

  /** Permits granted so far: the IAM calls made (for metrics). */
  public long granted() {
    synchronized (bucket) {
      return granted;
    }
  }

  /** Throttling answers reported so far (for metrics). */
  public long throttled() {
    synchronized (bucket) {
      return throttled;
    }
  }

  private void refill(long now) {
    if (now - refilledAt > 0) {
      permits = Math.min(settings.burst(), permits + (now - refilledAt) * rate / NANOS_PER_SECOND);
      refilledAt = now;
    }
  }
}
