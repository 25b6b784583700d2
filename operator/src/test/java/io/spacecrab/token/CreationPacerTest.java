package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import io.spacecrab.testing.MovingClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CreationPacerTest {
  final MovingClock clock = new MovingClock(Instant.parse("2026-12-02T08:00:00Z"));
  final java.util.Random random = new java.util.Random(42);
  final CreationPacer pacer = new CreationPacer(3, Duration.ofMinutes(10), Duration.ofSeconds(30), clock,
      random::nextDouble);

  @Test
  void aFewUsersAreCreatedAtOnceAndTheRestOneByOneWithRandomGaps() {
    List<Instant> createdAt = new ArrayList<>();
    List<String> waiting = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      waiting.add("uid-" + i);
    }
    // every reconcile asks again; a token creates its user when it is let through
    while (!waiting.isEmpty()) {
      for (var it = waiting.iterator(); it.hasNext(); ) {
        String uid = it.next();
        if (pacer.waitFor(uid).isZero()) {
          createdAt.add(clock.now);
          pacer.done(uid);
          it.remove();
        }
      }
      clock.now = clock.now.plusSeconds(1);
    }
    assertThat(createdAt.subList(0, 3)).allMatch(t -> t.equals(createdAt.get(0)));
    List<Long> gaps = new ArrayList<>();
    for (int i = 3; i < createdAt.size(); i++) {
      gaps.add(Duration.between(createdAt.get(i - 1), createdAt.get(i)).toSeconds());
    }
    // 0.5-1.5 x 30 s (give or take the test's 1 s ticks), and not all the same
    assertThat(gaps).allSatisfy(g -> assertThat(g).isBetween(14L, 46L));
    assertThat(gaps.stream().distinct().count()).isGreaterThan(10);
    // fifty users take about 47 x 30 s, not seconds
    assertThat(Duration.between(createdAt.get(0), createdAt.get(49))).isBetween(Duration.ofMinutes(15),
        Duration.ofMinutes(35));
  }

  @Test
  void aTokenKeepsItsSlotAndOnceLetThroughRetriesAtOnce() {
    for (int i = 0; i < 3; i++) {
      assertThat(pacer.waitFor("early-" + i)).isZero();
    }
    Duration wait = pacer.waitFor("late");
    assertThat(wait).isPositive();
    clock.now = clock.now.plusSeconds(5);
    assertThat(pacer.waitFor("late")).isEqualTo(wait.minusSeconds(5));
    clock.now = clock.now.plus(wait);
    assertThat(pacer.waitFor("late")).isZero();
    // its first attempt failed: the retry does not queue again
    assertThat(pacer.waitFor("late")).isZero();
  }

  @Test
  void aQuietWindowLetsABurstThroughAgainAndZeroSpacingTurnsPacingOff() {
    for (int i = 0; i < 3; i++) {
      pacer.waitFor("a-" + i);
      pacer.done("a-" + i);
    }
    clock.now = clock.now.plus(Duration.ofMinutes(11));
    assertThat(pacer.waitFor("b")).isZero();

    CreationPacer off = new CreationPacer(1, Duration.ofMinutes(10), Duration.ZERO, clock, random::nextDouble);
    for (int i = 0; i < 100; i++) {
      assertThat(off.waitFor("c-" + i)).isZero();
    }
  }
}
