package io.spacecrab.kube;

import java.util.List;

/** A namespace selection that cannot be evaluated; {@link #problems()} names every problem as a sentence. */
public final class InvalidSelectionException extends IllegalArgumentException {
  private final List<String> problems;

  /** An exception for these problems; the list must not be empty. */
  public InvalidSelectionException(List<String> problems) {
    super(String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, in spec order, as sentences for a human. */
  public List<String> problems() {
    return problems;
  }
}
