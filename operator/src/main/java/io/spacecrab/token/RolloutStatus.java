package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Condition;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ClusterHoneyTokenStatus;
import io.spacecrab.api.v1alpha1.FailingNamespace;
import io.spacecrab.api.v1alpha1.HoneyToken;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;

/** Counts of a ClusterHoneyToken's rollout, from its children's Ready conditions and the conflicts found. */
record RolloutStatus(int desired, int ready, List<FailingNamespace> failing) {

  /** Counts over the desired namespaces; {@code children} by namespace, {@code conflicts} reasons by namespace. */
  static RolloutStatus of(SortedSet<String> desired, Map<String, HoneyToken> children,
      Map<String, FailingNamespace> conflicts) {
    int ready = 0;
    List<FailingNamespace> failing = new ArrayList<>();
    for (String namespace : desired) {
      if (conflicts.containsKey(namespace)) {
        failing.add(conflicts.get(namespace));
        continue;
      }
      HoneyToken child = children.get(namespace);
      Condition condition = child == null || child.getStatus() == null ? null
          : Conditions.find(child.getStatus().getConditions(), Conditions.READY).orElse(null);
      if (condition == null) {
        continue;
      }
      if ("True".equals(condition.getStatus())) {
        ready++;
      } else {
        failing.add(new FailingNamespace(namespace, condition.getReason(), condition.getMessage()));
      }
    }
    return new RolloutStatus(desired.size(), ready, failing);
  }

  /** True when the child's Ready condition is True. */
  static boolean ready(HoneyToken child) {
    return child.getStatus() != null && Conditions.find(child.getStatus().getConditions(), Conditions.READY)
        .map(c -> "True".equals(c.getStatus())).orElse(false);
  }

  /** Writes the counts and the first {@link ClusterHoneyTokenStatus#MAX_FAILING} failing namespaces. */
  void writeTo(ClusterHoneyTokenStatus status) {
    status.setDesired(desired);
    status.setReady(ready);
    status.setFailed(failing.size());
    status.setFailingNamespaces(failing.isEmpty() ? null
        : List.copyOf(failing.subList(0, Math.min(failing.size(), ClusterHoneyTokenStatus.MAX_FAILING))));
  }

  boolean allReady() {
    return ready == desired;
  }

  /** The Ready reason: AllReady, TokensFailing or Progressing. */
  String reason() {
    return allReady() ? "AllReady" : failing.isEmpty() ? "Progressing" : "TokensFailing";
  }

  /** A sentence with the counts. */
  String message() {
    String counts = ready + " of " + desired + " selected namespaces hold a Ready token";
    return failing.isEmpty() ? counts + "." : counts + "; " + failing.size() + " failing (first: "
        + failing.get(0).getNamespace() + ", " + failing.get(0).getReason() + ").";
  }
}
