package io.spacecrab.backoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Properties of the one backoff, checked over many random configurations and draws. */
class BackoffTest {
  static final int CONFIGURATIONS = 200;
  static final int DRAWS = 400;

  @Test
  void everyWaitLiesBetweenZeroAndTheCeilingAndTheCeilingDoublesUpToTheCap() {
    Random random = new Random(20240501);
    for (int c = 0; c < CONFIGURATIONS; c++) {
      Backoff backoff = randomBackoff(random);
      long base = backoff.base().toMillis();
      long cap = backoff.cap().toMillis();
      long previous = 0;
      for (int n = 1; n <= 48; n++) {
        long ceiling = backoff.ceiling(n).toMillis();
        // growth: the first ceiling is the base, each next one twice the last, until the cap holds it
        long expected = n == 1 ? base : Math.min(cap, previous * 2);
        assertThat(ceiling).as("ceiling after %d failures of %s", n, backoff).isEqualTo(expected);
        for (int d = 0; d < DRAWS / 8; d++) {
          assertThat(backoff.delay(n, random).toMillis()).as("wait after %d failures of %s", n, backoff)
              .isBetween(0L, ceiling);
        }
        previous = ceiling;
      }
      assertThat(previous).as("the cap of %s is reached", backoff).isEqualTo(cap);
    }
  }

  @Test
  void theCapHoldsForAnyNumberOfFailuresWithoutOverflow() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofDays(3650));
    Random random = new Random(7);
    for (int n : new int[] {62, 63, 64, 1_000, Integer.MAX_VALUE}) {
      assertThat(backoff.ceiling(n)).isEqualTo(Duration.ofDays(3650));
      for (int d = 0; d < DRAWS; d++) {
        assertThat(backoff.delay(n, random)).isBetween(Duration.ZERO, Duration.ofDays(3650));
      }
    }
  }

  /** Full jitter: uniform over [0, ceiling], so a quarter of the waits fall in each quarter. */
  @Test
  void waitsAreSpreadEvenlyOverTheWholeWindowNotJustItsUpperHalf() {
    Random random = new Random(42);
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
    int draws = 20_000;
    for (int n : new int[] {1, 3, 6, 9, 30}) {
      long ceiling = backoff.ceiling(n).toMillis();
      int[] quarters = new int[4];
      double sum = 0;
      for (int d = 0; d < draws; d++) {
        long wait = backoff.delay(n, random).toMillis();
        quarters[(int) Math.min(3, wait * 4 / (ceiling + 1))]++;
        sum += wait;
      }
      for (int q = 0; q < 4; q++) {
        assertThat(quarters[q]).as("waits in quarter %d of [0, %d ms] after %d failures", q + 1, ceiling, n)
            .isBetween((int) (draws * 0.23), (int) (draws * 0.27));
      }
      assertThat(sum / draws).as("mean wait after %d failures", n).isBetween(ceiling * 0.48, ceiling * 0.52);
    }
  }

  @Test
  void theSameSeedGivesTheSameWaits() {
    Backoff backoff = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(30));
    Random a = new Random(11);
    Random b = new Random(11);
    for (int n = 1; n < 20; n++) {
      assertThat(backoff.delay(n, a)).isEqualTo(backoff.delay(n, b));
    }
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)).ceiling(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Backoff randomBackoff(Random random) {
    long base = 1 + random.nextLong(10_000);
    long cap = base + random.nextLong(3_600_000);
    return new Backoff(Duration.ofMillis(base), Duration.ofMillis(cap));
  }
}
