package io.spacecrab.ratelimit;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A token bucket shared by threads: {@code burst} permits, refilled continuously at the current
 * rate. Waiters are served in arrival order (a fair lock held by the one caller waiting for the next
 * permit), so no thread starves. No 1-second window holds more than rate+burst grants, and none
 * that starts with the burst spent holds more than rate+1.
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1e9;
  /** Float rounding slack, so a permit that refilled to 0.999999999 after an exact sleep is granted. */
  private static final double ROUNDING = 1e-9;

  private final int burst;
  private final NanoClock clock;
  private final ReentrantLock queue = new ReentrantLock(true);
  private double permits;
  private double rate;
  private long refilledAt;
  private long granted;

  /** A full bucket; the rate must be positive and the burst at least 1. */
  public TokenBucket(double perSecond, int burst, NanoClock clock) {
    if (!(perSecond > 0) || burst < 1) {
      throw new IllegalArgumentException("the rate must be positive and the burst at least 1");
    }
    this.burst = burst;
    this.clock = clock;
    this.permits = burst;
    this.rate = perSecond;
    this.refilledAt = clock.nanoTime();
  }

  /**
   * Blocks until one permit is free, after every caller that asked earlier; returns the clock
   * reading at the grant. Throws InterruptedException, consuming nothing, when interrupted.
   */
  public long acquire() throws InterruptedException {
    queue.lockInterruptibly();
    try {
      while (true) {
        long wait;
        synchronized (this) {
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

  /** Changes the refill rate from now on (permits stored so far are kept); must be positive. */
  public synchronized void setRate(double perSecond) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("the rate must be positive");
    }
    refill(clock.nanoTime());
    rate = perSecond;
  }

  /** Drops any stored burst: the next permit comes only after a refill at the current rate. */
  public synchronized void drain() {
    refill(clock.nanoTime());
    permits = Math.min(permits, 0);
  }

  /** The refill rate now in force, in permits per second. */
  public synchronized double rate() {
    return rate;
  }

  /** Permits granted so far. */
  public synchronized long granted() {
    return granted;
  }

  /** About how many callers are blocked in {@link #acquire()} behind the one waiting for the next permit. */
  public int waiting() {
    return queue.getQueueLength();
  }

  /** The clock the bucket reads. */
  public NanoClock clock() {
    return clock;
  }

  private void refill(long now) {
    if (now - refilledAt > 0) {
      permits = Math.min(burst, permits + (now - refilledAt) * rate / NANOS_PER_SECOND);
      refilledAt = now;
    }
  }
}
