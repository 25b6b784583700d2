package io.spacecrab.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
  final Instant t1 = Instant.parse("2026-01-01T00:00:00Z");
  final Instant t2 = Instant.parse("2026-01-02T00:00:00Z");

  @Test
  void transitionTimeMovesOnlyWhenStatusFlips() {
    List<Condition> first = Conditions.set(List.of(), "Ready", false, "AwsThrottled", "a", 1L, t1);
    List<Condition> sameStatus = Conditions.set(first, "Ready", false, "AwsUnavailable", "b", 2L, t2);
    assertThat(sameStatus.get(0).getLastTransitionTime()).isEqualTo(t1.toString());
    assertThat(sameStatus.get(0).getReason()).isEqualTo("AwsUnavailable");
    assertThat(sameStatus.get(0).getObservedGeneration()).isEqualTo(2L);
    List<Condition> flipped = Conditions.set(sameStatus, "Ready", true, "Issued", "c", 2L, t2);
    assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo(t2.toString());
  }

  @Test
  void keepsOtherConditionTypes() {
    List<Condition> both = Conditions.set(Conditions.set(List.of(), "Triggered", true, "Used", "m", 1L, t1),
        "Ready", true, "Issued", "m", 1L, t1);
    assertThat(both).extracting(Condition::getType).containsExactly("Ready", "Triggered");
  }
}
