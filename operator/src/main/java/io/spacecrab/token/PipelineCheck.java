package io.spacecrab.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Whether one intake path delivered the self-test's calls in time: pure, from the call times,
 * the latest use the detector saw through the path, the path's deadline and now.
 */
final class PipelineCheck {
  /**
   * How much earlier than the operator's clock CloudTrail's eventTime of a call may be and still
   * count as that call: the two clocks differ a little, and the operator notes the time before it calls.
   */
  static final Duration SKEW = Duration.ofMinutes(1);

  /** What the check says about a path. */
  enum State {
    /** No call has reached its deadline yet: nothing to say. */
    WAITING,
    /** Every call past its deadline was seen. */
    DELIVERING,
    /** A call past its deadline was not seen ({@code since} is the earliest such call). */
    DOWN
  }

  /** The verdict; {@code since} is set for DOWN only. */
  record Verdict(State state, Instant since) {}

  private PipelineCheck() {}

  /**
   * A call counts as seen when the latest use seen through the path is no earlier than the call
   * (less {@link #SKEW}); uses are seen in any order, so a later call's use also vouches for an
   * earlier call whose record was lost: the path works now.
   */
  static Verdict verdict(List<Instant> calls, Instant lastSeen, Duration deadline, Instant now) {
    Instant since = null;
    boolean anyOverdue = false;
    for (Instant call : calls) {
      if (call.plus(deadline).isAfter(now)) {
        continue;
      }
      anyOverdue = true;
      boolean seen = lastSeen != null && !lastSeen.isBefore(call.minus(SKEW));
      if (!seen && (since == null || call.isBefore(since))) {
        since = call;
      }
    }
    if (since != null) {
      return new Verdict(State.DOWN, since);
    }
    return new Verdict(anyOverdue ? State.DELIVERING : State.WAITING, null);
  }
}
