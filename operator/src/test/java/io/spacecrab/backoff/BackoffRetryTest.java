package io.spacecrab.backoff;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The reconcile retry waits as the backoff says: anywhere in [0, ceiling], never giving up. */
class BackoffRetryTest {
  static final Backoff BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));

  @Test
  void reconcileRetryWaitsAreSpreadOverTheWholeWindowBelowTheCeiling() {
    int draws = 4000;
    List<Long> firstWaits = new ArrayList<>();
    for (int i = 0; i < draws; i++) {
      firstWaits.add(new BackoffRetry(BACKOFF).initExecution().nextDelay().orElseThrow());
    }
    assertThat(firstWaits).allSatisfy(w -> assertThat(w).isBetween(0L, 1000L));
    // the retry this replaced waited half the ceiling plus a random half: never in the lowest quarter
    assertThat(firstWaits.stream().filter(w -> w < 250).count()).as("waits in the lowest quarter of [0, 1 s]")
        .isBetween((long) (draws * 0.20), (long) (draws * 0.30));
  }

  @Test
  void eachFailureInARowRaisesTheCeilingUpToTheCapAndTheRetryNeverGivesUp() {
    for (int run = 0; run < 200; run++) {
      RetryExecution execution = new BackoffRetry(BACKOFF).initExecution();
      for (int n = 1; n <= 20; n++) {
        long ceiling = BACKOFF.ceiling(n).toMillis();
        assertThat(execution.nextDelay()).hasValueSatisfying(w -> assertThat(w).isBetween(0L, ceiling));
        assertThat(execution.getAttemptCount()).isEqualTo(n);
        assertThat(execution.isLastAttempt()).isFalse();
      }
    }
  }
}
