package io.spacecrab.ratelimit;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Virtual time that advances only when someone sleeps (or the test says so); sleeps can be held to park a sleeper. */
public final class InMemoryNanoClock implements NanoClock {
  private final AtomicLong now = new AtomicLong();
  private final Object gate = new Object();
  private boolean held;
  private int sleepers;

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public void sleepNanos(long nanos) throws InterruptedException {
    synchronized (gate) {
      sleepers++;
      try {
        while (held) {
          gate.wait();
        }
      } finally {
        sleepers--;
      }
    }
    now.addAndGet(nanos);
  }

  public void advance(Duration duration) {
    now.addAndGet(duration.toNanos());
  }

  /** From now on a sleeper blocks until {@link #release()}. */
  public void hold() {
    synchronized (gate) {
      held = true;
    }
  }

  public void release() {
    synchronized (gate) {
      held = false;
      gate.notifyAll();
    }
  }

  /** Threads blocked in a held sleep. */
  public int heldSleepers() {
    synchronized (gate) {
      return sleepers;
    }
  }
}
