package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.detect.AlertWriterTest.IncidentScenarios;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Grouping uses into incidents (IncidentGrouping, IncidentChanges) as a pure function of the set
 * of uses: the detector's own planning code against an in-memory store of alerts.
 */
class IncidentGroupingTest {
  static final Duration WINDOW = Duration.ofHours(1);
  static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");
  final RegistryRecord token = AlertWriterTest.token();

  @Test
  void usesWithinTheWindowOfAnIncidentJoinItAndOthersOpenNewOnesInTimeOrder() {
    List<IncidentGrouping.Group> groups = IncidentGrouping.group(
        List.of(new IncidentGrouping.Span(1, at(100), at(120))),
        List.of(use("late", 400), use("before", 40), use("inside", 110), use("after", 180), use("later", 450)),
        WINDOW, 2);
    assertThat(groups).hasSize(2);
    assertThat(groups.get(0)).satisfies(g -> {
      assertThat(g.incident()).isEqualTo(1);
      assertThat(g.opened()).isFalse();
      assertThat(ids(g)).containsExactly("before", "inside", "after");
    });
    assertThat(groups.get(1)).satisfies(g -> {
      assertThat(g.incident()).isEqualTo(2);
      assertThat(g.opened()).isTrue();
      assertThat(ids(g)).containsExactly("late", "later");
    });
  }

  @Test
  void exactlyTheWindowApartIsOneIncidentAndOneSecondMoreIsTwo() {
    assertThat(IncidentGrouping.group(List.of(), List.of(use("a", 0), use("b", 60)), WINDOW, 1)).hasSize(1);
    List<IncidentGrouping.Group> apart = IncidentGrouping.group(List.of(),
        List.of(use("a", 0), IncidentScenarios.use(token, "b", at(60).plusSeconds(1))), WINDOW, 1);
    assertThat(apart).extracting(IncidentGrouping.Group::incident).containsExactly(1, 2);
  }

  @Test
  void aUseBetweenTwoIncidentsJoinsThemIntoTheLowerNumbered() {
    List<IncidentGrouping.Group> groups = IncidentGrouping.group(List.of(
        new IncidentGrouping.Span(3, at(0), at(10)), new IncidentGrouping.Span(2, at(100), at(100)),
        new IncidentGrouping.Span(1, at(300), at(300))), List.of(use("bridge", 55)), WINDOW, 4);
    assertThat(groups).singleElement().satisfies(g -> {
      assertThat(g.incident()).isEqualTo(2);
      assertThat(g.absorbed()).containsExactly(3);
      assertThat(ids(g)).containsExactly("bridge");
    });
  }

  /** Two writers that raced can leave two incidents within the window of each other: the next write joins them. */
  @Test
  void incidentsLeftWithinTheWindowOfEachOtherAreJoinedByTheNextWrite() {
    List<IncidentGrouping.Group> groups = IncidentGrouping.group(List.of(
        new IncidentGrouping.Span(1, at(0), at(10)), new IncidentGrouping.Span(2, at(50), at(50))),
        List.of(use("elsewhere", 500)), WINDOW, 3);
    assertThat(groups).extracting(g -> g.incident() + " " + g.absorbed() + " " + ids(g))
        .containsExactly("1 [2] []", "3 [] [elsewhere]");
  }

  /** Folding an incident in twice (a write cut off after the first) counts its uses once. */
  @Test
  void foldingTheSameIncidentAgainCountsNothingTwice() {
    Store store = new Store();
    store.add(List.of(use("c", 80)));
    store.add(List.of(use("a", 0)));
    store.add(List.of(use("b", 40)));
    HoneyTokenAlert survivor = store.byIncident(1);
    HoneyTokenAlert folded = store.byIncident(2);
    assertThat(survivor.getSpec().getEventCount()).isEqualTo(3);
    assertThat(survivor.getSpec().getSourceIPCalls()).singleElement().satisfies(c -> assertThat(c.getCalls())
        .isEqualTo(3));

    // as if the write marking incident 2 folded had been lost: it is live again and is folded again
    folded.getSpec().setMergedInto(null);
    store.put(folded);
    store.add(List.of());
    assertThat(store.byIncident(1).getSpec().getEventCount()).isEqualTo(3);
    assertThat(store.byIncident(1).getSpec().getSourceIPCalls()).singleElement()
        .satisfies(c -> assertThat(c.getCalls()).isEqualTo(3));
    assertThat(store.byIncident(2).getSpec().getMergedInto()).isEqualTo(survivor.getMetadata().getName());
  }

  /**
   * Property: many random sets of uses (gaps around the window, exactly the window too), each split
   * at random into batches that arrive in random order with some records twice, always give the
   * incidents the window defines, each use counted once, each incident's first and last use right.
   * The same uses split differently give the same incidents.
   */
  @Test
  void theSameUsesMakeTheSameIncidentsWhateverTheBatchesAndTheirOrder() {
    Random random = new Random(4242);
    int[] gaps = {1, 5, 40, 59, 60, 61, 90, 150, 300};
    for (int trial = 0; trial < 2000; trial++) {
      List<TokenMatch> uses = new ArrayList<>();
      int minute = 0;
      int n = 1 + random.nextInt(16);
      for (int i = 0; i < n; i++) {
        minute += i == 0 ? 0 : gaps[random.nextInt(gaps.length)];
        uses.add(use("e" + i, minute));
      }
      List<Set<String>> expected = IncidentScenarios.expected(uses, WINDOW);
      for (int split = 0; split < 3; split++) {
        List<List<TokenMatch>> batches = IncidentScenarios.randomBatches(uses, random);
        Store store = new Store();
        batches.forEach(store::add);
        String scenario = "trial " + trial + ", split " + split + ": uses " + uses.stream()
            .map(u -> u.record().eventId() + "@" + u.record().eventTime().substring(11, 16)).toList() + ", batches "
            + batches.stream().map(b -> b.stream().map(u -> u.record().eventId()).toList()).toList();
        assertThat(store.incidents()).as(scenario).containsExactlyInAnyOrderElementsOf(expected);
        for (HoneyTokenAlert a : store.live()) {
          TreeSet<Instant> times = new TreeSet<>();
          uses.stream().filter(u -> a.getSpec().getSeenEventIDs().contains(u.record().eventId()))
              .forEach(u -> times.add(Instant.parse(u.record().eventTime())));
          assertThat(a.getSpec().getEventCount()).as(scenario).isEqualTo(a.getSpec().getSeenEventIDs().size());
          assertThat(Timestamps.parse(a.getSpec().getFirstSeen())).as(scenario).isEqualTo(times.first());
          assertThat(Timestamps.parse(a.getSpec().getLastSeen())).as(scenario).isEqualTo(times.last());
        }
      }
    }
  }

  /** Alerts kept as the API server would: copies in and out, a resourceVersion per write. */
  final class Store {
    final Map<String, HoneyTokenAlert> alerts = new TreeMap<>();
    int version;

    void add(List<TokenMatch> batch) {
      List<HoneyTokenAlert> stored = alerts.values().stream().map(Store::copy).toList();
      IncidentChanges.Changes changes = IncidentChanges.plan(token, stored, batch, WINDOW, "alerts");
      changes.incidents().forEach(w -> put(w.alert()));
      changes.folded().forEach(this::put);
    }

    void put(HoneyTokenAlert alert) {
      HoneyTokenAlert stored = copy(alert);
      stored.getMetadata().setResourceVersion(Integer.toString(++version));
      alerts.put(stored.getMetadata().getName(), stored);
    }

    List<HoneyTokenAlert> live() {
      return alerts.values().stream().filter(IncidentScenarios::live).toList();
    }

    List<Set<String>> incidents() {
      return live().stream().map(a -> (Set<String>) new TreeSet<>(a.getSpec().getSeenEventIDs())).toList();
    }

    HoneyTokenAlert byIncident(int incident) {
      return copy(alerts.get(IncidentChanges.alertName(token, incident)));
    }

    static HoneyTokenAlert copy(HoneyTokenAlert alert) {
      try {
        var mapper = Serialization.jsonMapper();
        return mapper.readValue(mapper.writeValueAsString(alert), HoneyTokenAlert.class);
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static Instant at(int minute) {
    return T0.plus(Duration.ofMinutes(minute));
  }

  TokenMatch use(String id, int minute) {
    return IncidentScenarios.use(token, id, at(minute));
  }

  static List<String> ids(IncidentGrouping.Group g) {
    return g.uses().stream().map(u -> u.record().eventId()).toList();
  }
}
