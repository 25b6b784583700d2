package io.spacecrab.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Kubernetes-style conditions: one per type, lastTransitionTime moves only when status flips. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String TRIGGERED = "Triggered";

  private Conditions() {}

  /** A new list with the condition of this type set; other types are kept as they are. */
  public static List<Condition> set(List<Condition> current, String type, boolean status, String reason,
      String message, Long generation, Instant now) {
    return set(current, type, status ? "True" : "False", reason, message, generation, now);
  }

  /** As above, with the status as text: True, False or Unknown. */
  public static List<Condition> set(List<Condition> current, String type, String statusText, String reason,
      String message, Long generation, Instant now) {
    List<Condition> result = new ArrayList<>();
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (!type.equals(c.getType())) {
        result.add(c);
      }
    }
    result.add(new ConditionBuilder().withType(type).withStatus(statusText).withReason(reason)
        .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(now.toString()).build());
    result.sort(java.util.Comparator.comparing(Condition::getType));
    return keepTransitions(current, result);
  }

  /**
   * The desired conditions, each whose type {@code before} holds with the same status carrying
   * before's lastTransitionTime: the time moves only when a condition's status flips (or it is new).
   */
  public static List<Condition> keepTransitions(List<Condition> before, List<Condition> desired) {
    if (desired == null) {
      return null;
    }
    List<Condition> result = new ArrayList<>();
    for (Condition c : desired) {
      String kept = find(before, c.getType())
          .filter(b -> Objects.equals(b.getStatus(), c.getStatus()) && b.getLastTransitionTime() != null)
          .map(Condition::getLastTransitionTime).orElse(c.getLastTransitionTime());
      result.add(Objects.equals(kept, c.getLastTransitionTime()) ? c
          : new ConditionBuilder(c).withLastTransitionTime(kept).build());
    }
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
