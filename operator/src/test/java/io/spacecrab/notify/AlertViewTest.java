package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertViewTest {

  @Test
  void copiesListsAndDropsNullElements() {
    List<String> ips = new ArrayList<>(Arrays.asList("203.0.113.7", null));
    AlertView alert = new AlertView("hta-1", "incident-1", null, "ns", "tok", null, null, null,
        false, AlertFixtures.FIRST, AlertFixtures.LAST, 2, ips, null, null, null, null, null, null, null);
    ips.add("198.51.100.1");

    assertThat(alert.sourceIps()).containsExactly("203.0.113.7");
    assertThat(alert.userAgents()).isEmpty();
    assertThat(alert.recentEvents()).isEmpty();
    assertThat(alert.tokenRef()).isEqualTo("ns/tok");
  }

  @Test
  void requiresTheIdentifiersAndTimes() {
    assertThatThrownBy(() -> new AlertView(" ", "incident-1", null, "ns", "tok", null, null, null,
        false, AlertFixtures.FIRST, AlertFixtures.LAST, 1, null, null, null, null, null, null, null, null))
        .hasMessage("alertName is required");
    assertThatThrownBy(() -> new AlertView("hta-1", null, null, "ns", "tok", null, null, null,
        false, AlertFixtures.FIRST, AlertFixtures.LAST, 1, null, null, null, null, null, null, null, null))
        .hasMessage("incidentKey is required");
    assertThatThrownBy(() -> new AlertView("hta-1", "i", null, "ns", "tok", null, null, null,
        false, null, AlertFixtures.LAST, 1, null, null, null, null, null, null, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AlertView("hta-1", "i", null, "ns", "tok", null, null, null,
        false, AlertFixtures.FIRST, AlertFixtures.LAST, -1, null, null, null, null, null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
