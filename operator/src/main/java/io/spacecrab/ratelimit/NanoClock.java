package io.spacecrab.ratelimit;

import java.util.concurrent.TimeUnit;

/** A monotonic time source that can also wait; injectable so rate limits are tested without real sleeps. */
public interface NanoClock {

  /** The real monotonic clock ({@link System#nanoTime()}) and real, interruptible sleeps. */
  NanoClock SYSTEM = new NanoClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepNanos(long nanos) throws InterruptedException {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  };

  /** Monotonic nanoseconds; only differences between readings mean anything. */
  long nanoTime();

  /** Waits about this long; throws InterruptedException (with the interrupt flag cleared) when interrupted. */
  void sleepNanos(long nanos) throws InterruptedException;
}
