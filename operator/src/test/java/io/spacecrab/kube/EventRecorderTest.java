package io.spacecrab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.testing.KubeApi;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

/** Event series: one Event per object and reason, kept up to date, never where a key is planted. */
@OwnJvm
class EventRecorderTest {
  static final String OWN = "spacecrab-system";
  static final String TENANT = "payments";
  static final Instant T0 = Instant.parse("2026-11-30T20:00:00Z");

  KubeApi kube;
  EventRecorder events;

  @BeforeEach
  void setUp() {
    kube = KubeApi.start();
    kube.createNamespace(OWN);
    kube.createNamespace(TENANT);
    events = new EventRecorder(kube.client(), "spacecrab-detector", Set.of(OWN), EventRecorder.pod(OWN));
  }

  @AfterEach
  void tearDown() {
    kube.close();
  }

  @Test
  void aSeriesAboutAnObjectInAnOwnNamespaceIsOneEventUpdatedInPlace() {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName("deploy-1a2b3c4d").withNamespace(OWN).withUid("uid-a").build());
    for (int n = 1; n <= 3; n++) {
      events.warningSeries(alert, "KeyUsed", "use " + n, n, T0, T0.plusSeconds(10L * n));
    }

    assertThat(events(OWN)).singleElement().satisfies(e -> {
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("HoneyTokenAlert");
      assertThat(e.getInvolvedObject().getName()).isEqualTo("deploy-1a2b3c4d");
      assertThat(e.getCount()).isEqualTo(3);
      assertThat(e.getMessage()).isEqualTo("use 3");
      assertThat(e.getFirstTimestamp()).isEqualTo(T0.toString());
      assertThat(e.getLastTimestamp()).isEqualTo(T0.plusSeconds(30).toString());
    });
  }

  @Test
  void aSeriesAboutAnObjectElsewhereIsAboutThePodInTheOwnNamespaceAndNeverInTheTokens() {
    HoneyToken token = new HoneyToken();
    token.setMetadata(new ObjectMetaBuilder().withName("deploy").withNamespace(TENANT).withUid("uid-t").build());
    events.warningSeries(token, "KeyUsed", "first", 1, T0, T0);
    events.warningSeries(token, "KeyUsed", "second", 2, T0, T0.plusSeconds(5));

    assertThat(events(TENANT)).isEmpty();
    assertThat(events(OWN)).singleElement().satisfies(e -> {
      assertThat(e.getInvolvedObject().getKind()).isEqualTo("Pod");
      assertThat(e.getRelated().getName()).isEqualTo("deploy");
      assertThat(e.getMessage()).isEqualTo("HoneyToken payments/deploy: second");
      assertThat(e.getCount()).isEqualTo(2);
    });
  }

  @Test
  void aSlowerWriterNeverLowersTheCount() {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName("deploy-1a2b3c4d").withNamespace(OWN).withUid("uid-a").build());
    events.warningSeries(alert, "KeyUsed", "five uses", 5, T0, T0.plusSeconds(50));
    events.warningSeries(alert, "KeyUsed", "three uses", 3, T0, T0.plusSeconds(30));

    assertThat(events(OWN)).singleElement().satisfies(e -> {
      assertThat(e.getCount()).isEqualTo(5);
      assertThat(e.getMessage()).isEqualTo("five uses");
      assertThat(e.getLastTimestamp()).isEqualTo(T0.plusSeconds(50).toString());
    });
  }

  List<Event> events(String namespace) {
    return kube.client().v1().events().inNamespace(namespace).list().getItems();
  }
}
