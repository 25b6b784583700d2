package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  static final Instant START = Instant.parse("2024-05-01T10:00:00Z");
  static final Duration INITIAL = Duration.ofSeconds(10);
  static final Duration CAP = Duration.ofMinutes(10);
  static final Duration GIVE_UP = Duration.ofHours(24);

  @Test
  void ceilingDoublesFromTheInitialDelayUpToTheCap() {
    RetrySchedule schedule = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(1));

    assertThat(List.of(1, 2, 3, 4, 5, 6, 7, 8, 100, Integer.MAX_VALUE).stream()
        .map(schedule::ceilingMillis).toList())
        .containsExactly(10_000L, 20_000L, 40_000L, 80_000L, 160_000L, 320_000L, 600_000L,
            600_000L, 600_000L, 600_000L);
  }

  @Test
  void fullJitterSpreadsDelaysOverTheWholeRangeBelowTheCeiling() {
    RetrySchedule schedule = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(42));
    List<Long> delays = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      delays.add(schedule.jitteredDelay(3).toMillis());
    }

    assertThat(delays).allSatisfy(d -> assertThat(d).isBetween(0L, 40_000L));
    assertThat(delays.stream().filter(d -> d < 10_000).count()).isGreaterThan(300);
    assertThat(delays.stream().filter(d -> d > 30_000).count()).isGreaterThan(300);
  }

  @Test
  void sameSeedGivesTheSameSchedule() {
    List<Optional<Instant>> first = new ArrayList<>();
    List<Optional<Instant>> second = new ArrayList<>();
    RetrySchedule a = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(7));
    RetrySchedule b = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(7));
    for (int failures = 1; failures <= 10; failures++) {
      first.add(a.nextAttempt(failures, START, START, Optional.empty()));
      second.add(b.nextAttempt(failures, START, START, Optional.empty()));
    }

    assertThat(first).isEqualTo(second).doesNotContain(Optional.empty());
  }

  @Test
  void honoursALongerRetryAfter() {
    RetrySchedule schedule = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(3));
    Instant now = START.plusSeconds(5);

    assertThat(schedule.nextAttempt(1, START, now, Optional.of(Duration.ofMinutes(30))))
        .contains(now.plus(Duration.ofMinutes(30)));
  }

  @Test
  void keepsTheBackoffWhenRetryAfterIsShorter() {
    RetrySchedule seeded = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(11));
    Duration expected = new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random(11)).jitteredDelay(7);
    Instant now = START.plusSeconds(60);

    assertThat(expected).isGreaterThan(Duration.ofSeconds(1));
    assertThat(seeded.nextAttempt(7, START, now, Optional.of(Duration.ofSeconds(1))))
        .contains(now.plus(expected));
  }

  @Test
  void givesUpAtTheDeadline() {
    RetrySchedule schedule = new RetrySchedule(INITIAL, CAP, Duration.ofHours(1), new Random(5));

    assertThat(schedule.nextAttempt(30, START, START.plus(Duration.ofHours(1)), Optional.empty()))
        .isEmpty();
    assertThat(schedule.nextAttempt(30, START, START.plus(Duration.ofHours(2)), Optional.empty()))
        .isEmpty();
  }

  @Test
  void aBackoffCrossingTheDeadlineBecomesALastAttemptAtTheDeadline() {
    RetrySchedule schedule = new RetrySchedule(Duration.ofMinutes(10), Duration.ofMinutes(10),
        Duration.ofHours(1), new Random(9));
    Instant now = START.plus(Duration.ofMinutes(59)).plusSeconds(59);
    Instant deadline = START.plus(Duration.ofHours(1));

    List<Optional<Instant>> next = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      next.add(schedule.nextAttempt(6, START, now, Optional.empty()));
    }

    assertThat(next).allSatisfy(n -> assertThat(n).hasValueSatisfying(
        t -> assertThat(t).isBetween(now, deadline)));
    assertThat(next).contains(Optional.of(deadline));
  }

  @Test
  void givesUpWhenTheServerAsksToWaitPastTheDeadline() {
    RetrySchedule schedule = new RetrySchedule(INITIAL, CAP, Duration.ofHours(1), new Random(5));

    assertThat(schedule.nextAttempt(2, START, START.plus(Duration.ofMinutes(50)),
        Optional.of(Duration.ofMinutes(15)))).isEmpty();
  }

  @Test
  void rejectsNonsensicalSettings() {
    assertThatThrownBy(() -> new RetrySchedule(Duration.ZERO, CAP, GIVE_UP, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(CAP, INITIAL, GIVE_UP, new Random()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetrySchedule(INITIAL, CAP, GIVE_UP, new Random())
        .nextAttempt(0, START, START, Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
