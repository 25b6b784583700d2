package io.spacecrab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusUpdateTest {
  final Instant t1 = Instant.parse("2026-01-01T00:00:00Z");
  final Instant t2 = Instant.parse("2026-01-02T00:00:00Z");

  @Test
  void nothingIsWrittenWhenTheStatusIsComputedAgainLaterAndComesOutTheSame() {
    HoneyToken token = token(readyStatus(t1));
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(token.getStatus(), HoneyTokenStatus::new);

    token.getStatus().setReadyCondition(true, "Issued", "in Secret aws", 1L, t2);

    assertThat(update.control(token).isNoUpdate()).isTrue();
    assertThat(update.errorControl(token).getResource()).isEmpty();
    assertThat(ready(token).getLastTransitionTime()).isEqualTo(t1.toString());
  }

  @Test
  void aDesiredStatusBuiltFromScratchKeepsTheTransitionTimeOfEveryConditionThatDidNotFlip() {
    HoneyToken token = token(readyStatus(t1));
    token.getStatus().setConditions(Conditions.set(token.getStatus().getConditions(), Conditions.TRIGGERED, false,
        "NotUsed", "never used", 1L, t1));
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(token.getStatus(), HoneyTokenStatus::new);

    HoneyTokenStatus desired = new HoneyTokenStatus();
    desired.setObservedGeneration(1L);
    desired.setAccessKeyId("AKIAEXAMPLE");
    desired.setConditions(new ArrayList<>(List.of(
        condition(Conditions.READY, "True", "Issued", "in Secret aws", t2),
        condition(Conditions.TRIGGERED, "True", "KeyUsed", "used", t2))));
    token.setStatus(desired);

    assertThat(update.control(token).isPatchStatus()).isTrue();
    assertThat(ready(token).getLastTransitionTime()).as("Ready stayed True").isEqualTo(t1.toString());
    assertThat(Conditions.find(token.getStatus().getConditions(), Conditions.TRIGGERED).orElseThrow()
        .getLastTransitionTime()).as("Triggered flipped").isEqualTo(t2.toString());
  }

  @Test
  void aMessageAFieldOrAGenerationIsAChangeAndTheCopyAsReadDoesNotMoveWithIt() {
    HoneyTokenStatus read = readyStatus(t1);
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(read, HoneyTokenStatus::new);

    read.setReadyCondition(true, "Issued", "in Secret other", 1L, t2);
    assertThat(update.changes(read)).isTrue();
    assertThat(Conditions.find(update.before().getConditions(), Conditions.READY).orElseThrow().getMessage())
        .isEqualTo("in Secret aws");

    HoneyTokenStatus field = readyStatus(t1);
    field.setLastTriggeredAt(t2.toString());
    assertThat(StatusUpdate.of(readyStatus(t1), HoneyTokenStatus::new).changes(field)).isTrue();

    HoneyTokenStatus generation = readyStatus(t1);
    generation.setReadyCondition(true, "Issued", "in Secret aws", 2L, t2);
    assertThat(StatusUpdate.of(readyStatus(t1), HoneyTokenStatus::new).changes(generation)).isTrue();
  }

  @Test
  void noStatusYetIsTheEmptyStatus() {
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(null, HoneyTokenStatus::new);
    assertThat(update.changes(null)).isFalse();
    assertThat(update.changes(new HoneyTokenStatus())).isFalse();
    assertThat(update.changes(readyStatus(t1))).isTrue();
    assertThat(update.control(token(null)).isNoUpdate()).isTrue();
  }

  private static HoneyTokenStatus readyStatus(Instant at) {
    HoneyTokenStatus status = new HoneyTokenStatus();
    status.setAccessKeyId("AKIAEXAMPLE");
    status.setReadyCondition(true, "Issued", "in Secret aws", 1L, at);
    return status;
  }

  private static Condition condition(String type, String status, String reason, String message, Instant at) {
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(1L).withLastTransitionTime(at.toString()).build();
  }

  private static Condition ready(HoneyToken token) {
    return Conditions.find(token.getStatus().getConditions(), Conditions.READY).orElseThrow();
  }

  private static HoneyToken token(HoneyTokenStatus status) {
    HoneyToken token = new HoneyToken();
    token.setMetadata(new ObjectMetaBuilder().withNamespace("payments").withName("deploy").withGeneration(1L).build());
    token.setStatus(status);
    return token;
  }
}
