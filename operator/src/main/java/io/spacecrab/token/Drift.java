package io.spacecrab.token;

import java.util.List;

/**
 * What a re-check found added to a token's IAM user outside the operator (inline policies besides
 * the deny-all, managed policies, groups): what it removed, and what it could not remove, with why.
 */
public record Drift(List<String> removed, List<String> kept) {
  static final Drift NONE = new Drift(List.of(), List.of());

  public Drift {
    removed = List.copyOf(removed);
    kept = List.copyOf(kept);
  }

  /** Nothing was found. */
  public boolean none() {
    return removed.isEmpty() && kept.isEmpty();
  }
}
