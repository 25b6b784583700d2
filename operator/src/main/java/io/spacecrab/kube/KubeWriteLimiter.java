package io.spacecrab.kube;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.aws.NanoClock;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A client-side limit on Kubernetes writes (POST, PUT, PATCH, DELETE; Events included): a token
 * bucket of {@code burst} writes refilled at {@code perSecond}, shared by every thread of the
 * client. Reads and watches pass untouched. It runs as a fabric8 request interceptor, so the
 * writes JOSDK makes for us (finalizers, status) are limited too; the caller's thread waits, which
 * is the back-pressure a rollout of thousands of tokens needs. Waiters are served in arrival order.
 */
public final class KubeWriteLimiter implements Interceptor {
  /** The interceptor's name in the client builder. */
  public static final String NAME = "spacecrab-write-limit";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final double NANOS_PER_SECOND = 1e9;

  private final double perSecond;
  private final int burst;
  private final NanoClock clock;
  private final ReentrantLock queue = new ReentrantLock(true);
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong waitedNanos = new AtomicLong();
  private double permits;
  private long refilledAt;

  public KubeWriteLimiter(double perSecond, int burst) {
    this(perSecond, burst, NanoClock.SYSTEM);
  }

  public KubeWriteLimiter(double perSecond, int burst, NanoClock clock) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("the write rate must be positive and the burst at least 1");
    }
    this.perSecond = perSecond;
    this.burst = burst;
    this.clock = clock;
    this.permits = burst;
    this.refilledAt = clock.nanoTime();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    if (!WRITES.contains(request.method())) {
      return;
    }
    try {
      acquire();
    } catch (InterruptedException e) {
      // the write still goes out (failing it here would surface as an odd client error); the
      // interrupt stays set for the caller to notice
      Thread.currentThread().interrupt();
    }
  }

  /** Blocks until one more write is allowed. */
  void acquire() throws InterruptedException {
    long start = clock.nanoTime();
    queue.lockInterruptibly();
    try {
      while (true) {
        long wait;
        synchronized (this) {
          long now = clock.nanoTime();
          permits = Math.min(burst, permits + (now - refilledAt) * perSecond / NANOS_PER_SECOND);
          refilledAt = now;
          if (permits >= 1 - 1e-9) {
            permits -= 1;
            writes.incrementAndGet();
            waitedNanos.addAndGet(now - start);
            return;
          }
          wait = Math.max(1, (long) Math.ceil((1 - permits) * NANOS_PER_SECOND / perSecond));
        }
        clock.sleepNanos(wait);
      }
    } finally {
      queue.unlock();
    }
  }

  /** Writes let through so far. */
  public long writes() {
    return writes.get();
  }

  /** Seconds writers spent waiting, in all. */
  public double waitedSeconds() {
    return waitedNanos.get() / NANOS_PER_SECOND;
  }
}
