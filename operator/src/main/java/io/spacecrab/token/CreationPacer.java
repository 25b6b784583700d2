package io.spacecrab.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * When a new IAM user may be created. An attacker with IAM read access sees creation times: fifty
 * users made within twenty seconds are a rollout, not people. A few users ({@code burst}) in any
 * {@code window} are created at once, so that a single {@code kubectl apply} stays fast; beyond
 * that each new user gets a slot, one after the other, spaced by a random gap of 0.5–1.5 ×
 * {@code spacing}. A token keeps its slot across reconciles, and once let through it stays let
 * through (a failed attempt retries at once) until {@link #done}. A zero spacing turns pacing off.
 */
public final class CreationPacer {
  private final int burst;
  private final Duration window;
  private final Duration spacing;
  private final Clock clock;
  private final DoubleSupplier random;
  private final Deque<Instant> recent = new ArrayDeque<>();
  private final Map<String, Instant> slots = new HashMap<>();
  private final java.util.Set<String> granted = new java.util.HashSet<>();
  private Instant lastSlot = Instant.EPOCH;

  public CreationPacer(int burst, Duration window, Duration spacing, Clock clock, DoubleSupplier random) {
    this.burst = burst;
    this.window = window;
    this.spacing = spacing;
    this.clock = clock;
    this.random = random;
  }

  /**
   * Zero when the token may create its user now (the creation is counted), else how long to wait
   * for its slot. Asking again for the same token gives the same slot.
   */
  public synchronized Duration waitFor(String tokenUid) {
    Instant now = clock.instant();
    if (spacing.isZero() || granted.contains(tokenUid)) {
      return Duration.ZERO;
    }
    Instant slot = slots.get(tokenUid);
    if (slot == null) {
      while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(window))) {
        recent.pollFirst();
      }
      if (recent.size() + slots.size() < burst) {
        grant(tokenUid, now);
        return Duration.ZERO;
      }
      Instant from = lastSlot.isAfter(now) ? lastSlot : now;
      slot = from.plusMillis((long) (spacing.toMillis() * (0.5 + random.getAsDouble())));
      slots.put(tokenUid, slot);
      lastSlot = slot;
    }
    if (!now.isBefore(slot)) {
      slots.remove(tokenUid);
      grant(tokenUid, now);
      return Duration.ZERO;
    }
    return Duration.between(now, slot);
  }

  /** The token has its user (or is gone): it no longer needs a slot or a pass. */
  public synchronized void done(String tokenUid) {
    slots.remove(tokenUid);
    granted.remove(tokenUid);
  }

  private void grant(String tokenUid, Instant now) {
    granted.add(tokenUid);
    recent.addLast(now);
  }
}
