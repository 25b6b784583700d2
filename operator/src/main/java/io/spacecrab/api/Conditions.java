package io.spacecrab.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    String transition = now.toString();
    for (Condition c : current == null ? List.<Condition>of() : current) {
      if (type.equals(c.getType())) {
        if (statusText.equals(c.getStatus()) && c.getLastTransitionTime() != null) {
          transition = c.getLastTransitionTime();
        }
      } else {
        result.add(c);
      }
    }
    result.add(new ConditionBuilder().withType(type).withStatus(statusText).withReason(reason)
        .withMessage(message).withObservedGeneration(generation).withLastTransitionTime(transition).build());
    result.sort(java.util.Comparator.comparing(Condition::getType));
    return result;
  }

  public static Optional<Condition> find(List<Condition> conditions, String type) {
    return conditions == null ? Optional.empty()
        : conditions.stream().filter(c -> type.equals(c.getType())).findFirst();
  }
}
