package io.spacecrab.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import io.spacecrab.ratelimit.InMemoryNanoClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IamCallBudgetTest {
  static final long SECOND = 1_000_000_000L;
  static final long MILLI = 1_000_000L;

  final InMemoryNanoClock clock = new InMemoryNanoClock();

  static IamBudgetSettings halving(double rate, int burst, double floor) {
    return new IamBudgetSettings(rate, burst, floor, 0.5, 1, Duration.ZERO);
  }

  /** The most grants in any half-open window [t, t + width) that starts at a grant at or after {@code from}. */
  static int busiestWindow(List<Long> grants, long from, long width) {
    List<Long> sorted = new ArrayList<>(grants);
    Collections.sort(sorted);
    int busiest = 0;
    int end = 0;
    for (int start = 0; start < sorted.size(); start++) {
      while (end < sorted.size() && sorted.get(end) - sorted.get(start) < width) {
        end++;
      }
      if (sorted.get(start) >= from) {
        busiest = Math.max(busiest, end - start);
      }
    }
    return busiest;
  }

  /** Runs {@code threads} callers of {@code calls} acquires each; returns every grant time. */
  static List<Long> grantsFrom(IamCallBudget budget, int threads, int calls, Runnable afterEachCall)
      throws InterruptedException {
    List<Long> grants = Collections.synchronizedList(new ArrayList<>());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread worker = new Thread(() -> {
        try {
          for (int i = 0; i < calls; i++) {
            grants.add(budget.acquire());
            afterEachCall.run();
          }
        } catch (Throwable e) {
          failure.set(e);
        }
      });
      workers.add(worker);
      worker.start();
    }
    for (Thread worker : workers) {
      worker.join(Duration.ofSeconds(60).toMillis());
      assertThat(worker.isAlive()).as("caller finished").isFalse();
    }
    assertThat(failure.get()).isNull();
    return grants;
  }

  @Test
  void grantsTheBurstAtOnceThenOnePermitPerInterval() throws InterruptedException {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(10, 3), clock);
    List<Long> grants = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      grants.add(budget.acquire());
    }
    assertThat(grants).containsExactly(0L, 0L, 0L, 100 * MILLI, 200 * MILLI, 300 * MILLI);
  }

  @Test
  void neverMoreThanRatePlusOneInAnySecondAcrossThreads() throws InterruptedException {
    int rate = 10;
    int burst = 5;
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(rate, burst), clock);
    List<Long> grants = grantsFrom(budget, 8, 40, () -> { });

    assertThat(grants).hasSize(320);
    assertThat(busiestWindow(grants, 1, SECOND)).isEqualTo(rate);
    assertThat(busiestWindow(grants, 0, SECOND)).isLessThanOrEqualTo(rate + burst);
    long last = Collections.max(grants);
    assertThat((double) last).as("whole budget used: (320 - burst) / R seconds")
        .isCloseTo(31.5 * SECOND, within(1_000.0));
  }

  @Test
  void staysWithinBudgetWhileThrottledAndRecovering() throws InterruptedException {
    int rate = 20;
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(rate, 1), clock);
    Random random = new Random(42);
    List<Long> grants = grantsFrom(budget, 6, 60, () -> {
      boolean throttled;
      synchronized (random) {
        throttled = random.nextInt(10) < 3;
      }
      if (throttled) {
        budget.onThrottled();
      } else {
        budget.onSuccess();
      }
    });

    assertThat(busiestWindow(grants, 0, SECOND)).isLessThanOrEqualTo(rate + 1);
    assertThat(budget.currentRate()).isBetween(rate / 10.0, (double) rate);
  }

  @Test
  void servesWaitersInArrivalOrder() throws InterruptedException {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(1, 1), clock);
    budget.acquire();
    clock.hold();
    Map<String, Long> grants = new ConcurrentHashMap<>();
    List<Thread> callers = new ArrayList<>();
    for (String name : List.of("first", "second", "third", "fourth")) {
      Thread caller = new Thread(() -> {
        try {
          grants.put(name, budget.acquire());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      });
      int queuedBefore = callers.size();
      callers.add(caller);
      caller.start();
      if (queuedBefore == 0) {
        await().until(() -> clock.heldSleepers() == 1);
      } else {
        await().until(() -> budget.waitingCallers() == queuedBefore);
      }
    }
    clock.release();
    for (Thread caller : callers) {
      caller.join();
    }
    assertThat(grants).containsOnlyKeys("first", "second", "third", "fourth");
    assertThat(List.of(grants.get("first"), grants.get("second"), grants.get("third"), grants.get("fourth")))
        .containsExactly(SECOND, 2 * SECOND, 3 * SECOND, 4 * SECOND);
  }

  @Test
  void interruptedCallersLeaveWithoutConsumingAPermit() throws InterruptedException {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(1, 1), clock);
    budget.acquire();
    clock.hold();
    Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
    Thread sleeping = interruptible(budget, "sleeping", outcomes);
    await().until(() -> clock.heldSleepers() == 1);
    Thread queued = interruptible(budget, "queued", outcomes);
    await().until(() -> budget.waitingCallers() == 1);

    queued.interrupt();
    sleeping.interrupt();
    queued.join();
    sleeping.join();
    clock.release();

    assertThat(outcomes).containsOnlyKeys("sleeping", "queued")
        .allSatisfy((name, outcome) -> assertThat(outcome).isInstanceOf(InterruptedException.class));
    assertThat(budget.waitingCallers()).isZero();
    assertThat(budget.acquire()).as("the next permit is still the first refill").isEqualTo(SECOND);
  }

  private static Thread interruptible(IamCallBudget budget, String name, Map<String, Throwable> outcomes) {
    Thread caller = new Thread(() -> {
      try {
        budget.acquire();
        outcomes.put(name, new AssertionError("granted"));
      } catch (InterruptedException e) {
        outcomes.put(name, e);
      }
    });
    caller.start();
    return caller;
  }

  @Test
  void throttlingLowersTheRateMultiplicativelyDownToTheFloor() {
    IamCallBudget budget = new IamCallBudget(halving(10, 1, 1), clock);
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      budget.onThrottled();
      rates.add(budget.currentRate());
    }
    assertThat(rates).containsExactly(5.0, 2.5, 1.25, 1.0, 1.0);
  }

  @Test
  void throttlesWithinOneDecreaseIntervalLowerTheRateOnce() {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(10, 1), clock);
    budget.onThrottled();
    budget.onThrottled();
    clock.advance(Duration.ofMillis(999));
    budget.onThrottled();
    assertThat(budget.currentRate()).isCloseTo(7.0, within(1e-9));
    clock.advance(Duration.ofMillis(1));
    budget.onThrottled();
    assertThat(budget.currentRate()).isCloseTo(4.9, within(1e-9));
  }

  @Test
  void successesRecoverAdditivelyUpToTheConfiguredRate() {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(10, 1), clock);
    budget.onThrottled();
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      budget.onSuccess();
      rates.add(Math.round(budget.currentRate() * 1e6) / 1e6);
    }
    assertThat(rates).containsExactly(8.0, 9.0, 10.0, 10.0, 10.0);
  }

  @Test
  void throttlingSpendsTheStoredBurstAndSlowsTheGrants() throws InterruptedException {
    IamCallBudget budget = new IamCallBudget(halving(10, 5, 1), clock);
    budget.onThrottled();
    assertThat(List.of(budget.acquire(), budget.acquire(), budget.acquire()))
        .containsExactly(200 * MILLI, 400 * MILLI, 600 * MILLI);
  }

  @Test
  void idleBudgetRefillsOnlyUpToTheBurst() throws InterruptedException {
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(10, 2), clock);
    clock.advance(Duration.ofHours(1));
    long start = clock.nanoTime();
    assertThat(List.of(budget.acquire(), budget.acquire(), budget.acquire()))
        .containsExactly(start, start, start + 100 * MILLI);
  }

  @Test
  void realClockServesEveryCallerWithinTheBucketBound() throws InterruptedException {
    int rate = 400;
    int burst = 2;
    IamCallBudget budget = new IamCallBudget(IamBudgetSettings.of(rate, burst));
    List<Long> grants = grantsFrom(budget, 4, 15, () -> { });
    assertThat(grants).hasSize(60);
    long window = 50 * MILLI;
    assertThat(busiestWindow(grants, Long.MIN_VALUE, window)).as("at most burst + R x 50 ms in any 50 ms")
        .isLessThanOrEqualTo(burst + rate / 20);
  }

  @Test
  void realClockSleepEndsWhenTheCallerIsInterrupted() throws InterruptedException {
    IamCallBudget budget = new IamCallBudget(new IamBudgetSettings(0.001, 1, 0.001, 0.5, 0.001, Duration.ZERO));
    budget.acquire();
    Map<String, Throwable> outcomes = new ConcurrentHashMap<>();
    Thread caller = interruptible(budget, "caller", outcomes);
    await().until(() -> caller.getState() == Thread.State.TIMED_WAITING);
    caller.interrupt();
    caller.join();
    assertThat(outcomes.get("caller")).isInstanceOf(InterruptedException.class);
  }

  @Test
  void rejectsSettingsOutOfRange() {
    assertThatThrownBy(() -> IamBudgetSettings.of(0, 1)).hasMessageContaining("callsPerSecond");
    assertThatThrownBy(() -> IamBudgetSettings.of(Double.NaN, 1)).hasMessageContaining("callsPerSecond");
    assertThatThrownBy(() -> IamBudgetSettings.of(5, 0)).hasMessageContaining("burst");
    assertThatThrownBy(() -> new IamBudgetSettings(5, 1, 6, 0.5, 1, Duration.ZERO))
        .hasMessageContaining("minCallsPerSecond");
    assertThatThrownBy(() -> new IamBudgetSettings(5, 1, 1, 1.0, 1, Duration.ZERO))
        .hasMessageContaining("decreaseFactor");
    assertThatThrownBy(() -> new IamBudgetSettings(5, 1, 1, 0.5, 0, Duration.ZERO))
        .hasMessageContaining("increasePerSuccess");
    assertThatThrownBy(() -> new IamBudgetSettings(5, 1, 1, 0.5, 1, Duration.ofSeconds(-1)))
        .hasMessageContaining("decreaseInterval");
  }
}
