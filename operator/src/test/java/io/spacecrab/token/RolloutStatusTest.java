package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ClusterHoneyTokenStatus;
import io.spacecrab.api.v1alpha1.FailingNamespace;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import io.spacecrab.testing.Tokens;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class RolloutStatusTest {

  @Test
  void countsReadyAndFailingChildrenAndLeavesPendingOnesOut() {
    var desired = new TreeSet<>(java.util.List.of("a", "b", "c", "d"));
    Map<String, HoneyToken> children = new TreeMap<>();
    children.put("a", child("a", true, "Issued"));
    children.put("b", child("b", false, "AccountQuotaExceeded"));
    children.put("c", Tokens.token("c", "t", "s"));
    children.put("gone", child("gone", false, "AwsThrottled"));
    Map<String, FailingNamespace> conflicts = Map.of("d", new FailingNamespace("d", "TokenConflict", "taken"));

    RolloutStatus rollout = RolloutStatus.of(desired, children, conflicts);
    ClusterHoneyTokenStatus status = new ClusterHoneyTokenStatus();
    rollout.writeTo(status);

    assertThat(status.getDesired()).isEqualTo(4);
    assertThat(status.getReady()).isEqualTo(1);
    assertThat(status.getFailed()).isEqualTo(2);
    assertThat(status.getFailingNamespaces()).extracting(FailingNamespace::getNamespace).containsExactly("b", "d");
    assertThat(rollout.reason()).isEqualTo("TokensFailing");
    assertThat(rollout.message()).startsWith("1 of 4 selected namespaces hold a Ready token; 2 failing");
  }

  @Test
  void listsAtMostTwentyFailingNamespacesButCountsThemAll() {
    var desired = new TreeSet<String>();
    Map<String, HoneyToken> children = new TreeMap<>();
    for (int i = 10; i < 35; i++) {
      desired.add("ns-" + i);
      children.put("ns-" + i, child("ns-" + i, false, "AccessDenied"));
    }
    ClusterHoneyTokenStatus status = new ClusterHoneyTokenStatus();
    RolloutStatus.of(desired, children, Map.of()).writeTo(status);

    assertThat(status.getFailed()).isEqualTo(25);
    assertThat(status.getFailingNamespaces()).hasSize(ClusterHoneyTokenStatus.MAX_FAILING)
        .first().satisfies(f -> assertThat(f.getNamespace()).isEqualTo("ns-10"));
  }

  @Test
  void nothingSelectedIsAllReady() {
    RolloutStatus rollout = RolloutStatus.of(new TreeSet<>(), Map.of(), Map.of());
    ClusterHoneyTokenStatus status = new ClusterHoneyTokenStatus();
    rollout.writeTo(status);
    assertThat(rollout.reason()).isEqualTo("AllReady");
    assertThat(status.getFailingNamespaces()).isNull();
  }

  static HoneyToken child(String namespace, boolean ready, String reason) {
    HoneyToken token = Tokens.token(namespace, "t", "s");
    HoneyTokenStatus status = new HoneyTokenStatus();
    status.setConditions(Conditions.set(null, Conditions.READY, ready, reason, reason + " happened.", 1L,
        Instant.EPOCH));
    token.setStatus(status);
    return token;
  }
}
