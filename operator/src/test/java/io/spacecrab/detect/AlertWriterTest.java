package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.testing.KubeApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

/**
 * Incidents from the detector's own writer against the mock API server: the same uses of a token
 * make the same incidents (the same eventIDs together) however they are split into batches and in
 * whatever order the batches come. Its world is a mock API server alone, so it starts one itself
 * rather than through {@code SpaceCrabEnvironment}, which would start and reset moto and make a
 * registry table it never reads.
 */
@OwnJvm
class AlertWriterTest {
  static final String ALERTS = "spacecrab-system";
  static final Duration WINDOW = Duration.ofHours(1);
  static final Instant T0 = Instant.parse("2026-11-30T01:00:00Z");

  KubeApi kube;
  AlertWriter writer;

  @BeforeEach
  void setUp() {
    kube = KubeApi.start();
    kube.createNamespace(ALERTS);
    writer = new AlertWriter(kube.client(), ALERTS, WINDOW, new EventRecorder(kube.client(), "spacecrab-detector",
        Set.of(ALERTS), EventRecorder.pod(ALERTS)), Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    kube.close();
  }

  /** The example: three uses 40 minutes apart are one incident, in one batch or one by one. */
  @Test
  void threeUsesFortyMinutesApartAreOneIncidentInOneBatchOrOneByOne() {
    RegistryRecord together = token();
    writer.record(together, List.of(use(together, "a", 0), use(together, "b", 40), use(together, "c", 80)));
    RegistryRecord oneByOne = token();
    writer.record(oneByOne, List.of(use(oneByOne, "a", 0)));
    writer.record(oneByOne, List.of(use(oneByOne, "b", 40)));
    writer.record(oneByOne, List.of(use(oneByOne, "c", 80)));
    RegistryRecord backwards = token();
    writer.record(backwards, List.of(use(backwards, "c", 80)));
    writer.record(backwards, List.of(use(backwards, "a", 0)));
    writer.record(backwards, List.of(use(backwards, "b", 40)));

    for (RegistryRecord token : List.of(together, oneByOne, backwards)) {
      assertThat(incidents(token)).as("incidents of token %s", token.name()).containsExactly(Set.of("a", "b", "c"));
    }
  }

  /**
   * A use that bridges two incidents joins them: the one opened first (the lower number) takes the
   * other's calls; the other stays, names it in mergedInto, and is no incident of its own any more.
   */
  @Test
  void aUseThatBridgesTwoIncidentsFoldsTheLaterOpenedOneIntoTheFirst() {
    RegistryRecord token = token();
    writer.record(token, List.of(use(token, "c", 80)));
    writer.record(token, List.of(use(token, "a", 0)));
    assertThat(incidents(token)).containsExactlyInAnyOrder(Set.of("a"), Set.of("c"));

    assertThat(writer.record(token, List.of(use(token, "b", 40)))).isEqualTo(1);

    HoneyTokenAlert first = alert(token, 1);
    HoneyTokenAlert second = alert(token, 2);
    assertThat(first.getSpec().getEventCount()).isEqualTo(3);
    assertThat(first.getSpec().getSeenEventIDs()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(first.getSpec().getFirstSeen()).isEqualTo(T0.toString());
    assertThat(first.getSpec().getLastSeen()).isEqualTo(T0.plus(Duration.ofMinutes(80)).toString());
    assertThat(first.getSpec().getRecentEvents()).extracting(e -> e.getEventID()).containsExactly("a", "b", "c");
    assertThat(first.getSpec().getMergedIncidents()).containsExactly(2);
    assertThat(first.getSpec().getMergedInto()).isNull();
    assertThat(second.getSpec().getMergedInto()).isEqualTo(first.getMetadata().getName());
    assertThat(second.getSpec().getSeenEventIDs()).containsExactly("a");
    assertThat(incidents(token)).containsExactly(Set.of("a", "b", "c"));

    // the same records again change nothing; a later use far away opens incident 3
    assertThat(writer.record(token, List.of(use(token, "a", 0), use(token, "b", 40)))).isZero();
    writer.record(token, List.of(use(token, "d", 300)));
    assertThat(alert(token, 3).getSpec().getSeenEventIDs()).containsExactly("d");
    assertThat(alert(token, 1).getSpec().getEventCount()).isEqualTo(3);
  }

  /**
   * Resolving an alert never silences the next use: a use after a resolved incident opens a new
   * incident (which pages), even within the quiet window; a late record of the resolved incident's
   * own time span still lands in it.
   */
  @Test
  void aUseAfterAResolvedIncidentOpensANewOneButALateRecordOfItsSpanDoesNot() {
    RegistryRecord token = token();
    writer.record(token, List.of(use(token, "a", 0), use(token, "b", 20)));
    HoneyTokenAlert first = alert(token, 1);
    first.getSpec().setResolved(true);
    kube.client().resource(first).update();

    writer.record(token, List.of(use(token, "late", 10), use(token, "next", 30)));
    assertThat(alert(token, 1).getSpec().getSeenEventIDs()).containsExactlyInAnyOrder("a", "b", "late");
    assertThat(alert(token, 2).getSpec().getSeenEventIDs()).containsExactly("next");
  }

  /**
   * Property: random uses of one token (gaps around the window: 5 min … 5 h, exactly the window
   * too), split at random into batches that arrive in random order, some records delivered twice,
   * always give the incidents the quiet window defines: the maximal runs of uses no further apart
   * than it, each counted once.
   */
  @Test
  void theSameUsesMakeTheSameIncidentsWhateverTheBatchesAndTheirOrder() {
    Random random = new Random(13);
    int[] gaps = {5, 40, 59, 60, 61, 90, 300};
    for (int trial = 0; trial < 60; trial++) {
      RegistryRecord token = token();
      List<TokenMatch> uses = new ArrayList<>();
      int minute = 0;
      int n = 2 + random.nextInt(9);
      for (int i = 0; i < n; i++) {
        minute += i == 0 ? 0 : gaps[random.nextInt(gaps.length)];
        uses.add(use(token, "e" + i, minute));
      }
      List<List<TokenMatch>> batches = IncidentScenarios.randomBatches(uses, random);
      for (List<TokenMatch> batch : batches) {
        writer.record(token, batch);
      }
      String scenario = "trial " + trial + ": uses at minutes " + uses.stream().map(u -> u.record().eventTime())
          .toList() + ", batches " + batches.stream().map(b -> b.stream().map(u -> u.record().eventId()).toList())
          .toList();
      assertThat(incidents(token)).as(scenario)
          .containsExactlyInAnyOrderElementsOf(IncidentScenarios.expected(uses, WINDOW));
      for (HoneyTokenAlert a : live(token)) {
        assertThat(a.getSpec().getEventCount()).as(scenario).isEqualTo(a.getSpec().getSeenEventIDs().size());
      }
    }
  }

  List<HoneyTokenAlert> live(RegistryRecord token) {
    return kube.client().resources(HoneyTokenAlert.class).inNamespace(ALERTS)
        .withLabel(io.spacecrab.api.Alerts.LABEL_TOKEN_UID, token.uid()).list().getItems().stream()
        .filter(IncidentScenarios::live).toList();
  }

  HoneyTokenAlert alert(RegistryRecord token, int incident) {
    return kube.client().resources(HoneyTokenAlert.class).inNamespace(ALERTS)
        .withName(IncidentChanges.alertName(token, incident)).get();
  }

  /** The eventIDs of each live incident of the token. */
  List<Set<String>> incidents(RegistryRecord token) {
    return live(token).stream().map(a -> (Set<String>) new TreeSet<>(a.getSpec().getSeenEventIDs())).toList();
  }

  static RegistryRecord token() {
    String uid = UUID.randomUUID().toString();
    return new RegistryRecord("AKIAGHOST00000000001", "AIDAGHOST00000000001", "svc-ghost",
        "arn:aws:iam::123456789012:user/svc-ghost", "test-cluster", "payments", "ghost-" + uid.substring(0, 8), uid, "oncall",
        "here", "notes", null, RegistryState.Active, null, null);
  }

  static TokenMatch use(RegistryRecord token, String eventId, int minute) {
    return IncidentScenarios.use(token, eventId, T0.plus(Duration.ofMinutes(minute)));
  }

  /** Uses, random batches and the incidents the window defines; shared by the incident tests. */
  static final class IncidentScenarios {
    private IncidentScenarios() {}

    static TokenMatch use(RegistryRecord token, String eventId, Instant time) {
      return new TokenMatch(token, new CloudTrailRecord(eventId, time.toString(), "s3.amazonaws.com", "ListBuckets",
          "us-east-1", "203.0.113.7", "aws-cli/2", null, "IAMUser", token.principalId(), token.userArn(),
          "123456789012", token.accessKeyId(), token.userName(), null), TokenMatch.MatchedBy.ACCESS_KEY_ID);
    }

    /** The uses shuffled, cut into 1..n batches, a few records repeated in another batch; batches shuffled. */
    static List<List<TokenMatch>> randomBatches(List<TokenMatch> uses, Random random) {
      List<TokenMatch> shuffled = new ArrayList<>(uses);
      Collections.shuffle(shuffled, random);
      int count = 1 + random.nextInt(shuffled.size());
      List<List<TokenMatch>> batches = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        batches.add(new ArrayList<>());
      }
      for (int i = 0; i < shuffled.size(); i++) {
        batches.get(i < count ? i : random.nextInt(count)).add(shuffled.get(i));
      }
      for (TokenMatch u : uses) {
        if (random.nextInt(5) == 0) {
          batches.get(random.nextInt(count)).add(u); // delivered twice (S3 and EventBridge, a replay)
        }
      }
      Collections.shuffle(batches, random);
      return batches;
    }

    /** The incidents the window defines: the uses sorted by time, cut where two are further apart than it. */
    static List<Set<String>> expected(List<TokenMatch> uses, Duration window) {
      List<TokenMatch> sorted = new ArrayList<>(uses);
      sorted.sort(java.util.Comparator.comparing(u -> Instant.parse(u.record().eventTime())));
      List<Set<String>> incidents = new ArrayList<>();
      Instant previous = null;
      for (TokenMatch u : sorted) {
        Instant t = Instant.parse(u.record().eventTime());
        if (previous == null || Duration.between(previous, t).compareTo(window) > 0) {
          incidents.add(new TreeSet<>());
        }
        incidents.get(incidents.size() - 1).add(u.record().eventId());
        previous = t;
      }
      return incidents;
    }

    /** True for an alert that is an incident of its own (not folded into another). */
    static boolean live(HoneyTokenAlert alert) {
      return alert.getSpec() != null && alert.getSpec().getMergedInto() == null;
    }
  }
}
