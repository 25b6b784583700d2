package io.spacecrab.kube;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.ratelimit.NanoClock;
import io.spacecrab.ratelimit.TokenBucket;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client-side limit on Kubernetes writes (POST, PUT, PATCH, DELETE; Events included): a
 * {@link TokenBucket} of {@code burst} writes refilled at {@code perSecond}, shared by every thread of the
 * client. Reads and watches pass untouched. It runs as a fabric8 request interceptor, so the
 * writes JOSDK makes for us (finalizers, status) are limited too; the caller's thread waits, which
 * is the back-pressure a rollout of thousands of tokens needs. Waiters are served in arrival order.
 */
public final class KubeWriteLimiter implements Interceptor {
  /** The interceptor's name in the client builder. */
  public static final String NAME = "spacecrab-write-limit";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private static final double NANOS_PER_SECOND = 1e9;

  private final TokenBucket bucket;
  private final AtomicLong waitedNanos = new AtomicLong();

  public KubeWriteLimiter(double perSecond, int burst) {
    this(perSecond, burst, NanoClock.SYSTEM);
  }

  public KubeWriteLimiter(double perSecond, int burst, NanoClock clock) {
    this.bucket = new TokenBucket(perSecond, burst, clock);
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
    long start = bucket.clock().nanoTime();
    long granted = bucket.acquire();
    waitedNanos.addAndGet(granted - start);
  }

  /** Writes let through so far. */
  public long writes() {
    return bucket.granted();
  }

  /** Seconds writers spent waiting, in all. */
  public double waitedSeconds() {
    return waitedNanos.get() / NANOS_PER_SECOND;
  }
}
