package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.token.PipelineCheck.State;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineCheckTest {
  static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");
  static final Duration DEADLINE = Duration.ofMinutes(5);

  static Instant at(int minutes) {
    return T0.plus(Duration.ofMinutes(minutes));
  }

  @Test
  void nothingToSayBeforeTheFirstCallsDeadline() {
    assertThat(PipelineCheck.verdict(List.of(), null, DEADLINE, at(60)).state()).isEqualTo(State.WAITING);
    assertThat(PipelineCheck.verdict(List.of(at(0)), null, DEADLINE, at(4)).state()).isEqualTo(State.WAITING);
  }

  @Test
  void aCallPastItsDeadlineThatWasNotSeenMakesThePathDownSinceThatCall() {
    var verdict = PipelineCheck.verdict(List.of(at(0), at(15), at(30)), at(0), DEADLINE, at(31));
    assertThat(verdict.state()).isEqualTo(State.DOWN);
    assertThat(verdict.since()).isEqualTo(at(15));
    // exactly at the deadline counts as missed
    assertThat(PipelineCheck.verdict(List.of(at(0)), null, DEADLINE, at(5)).state()).isEqualTo(State.DOWN);
  }

  @Test
  void aLaterUseVouchesForEarlierCallsAndSmallClockSkewIsTolerated() {
    // the 15-minute call's record was lost, the 30-minute one arrived: the path works
    assertThat(PipelineCheck.verdict(List.of(at(0), at(15), at(30)), at(30), DEADLINE, at(36)).state())
        .isEqualTo(State.DELIVERING);
    // CloudTrail's time 30 s before the operator's note of the call: the same call
    assertThat(PipelineCheck.verdict(List.of(at(0)), at(0).minusSeconds(30), DEADLINE, at(6)).state())
        .isEqualTo(State.DELIVERING);
    // a use two minutes older than the call is an earlier call's, not this one's
    assertThat(PipelineCheck.verdict(List.of(at(0)), at(0).minusSeconds(120), DEADLINE, at(6)).state())
        .isEqualTo(State.DOWN);
  }
}
