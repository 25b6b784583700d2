package io.spacecrab.token;

import java.util.List;

/**
 * How retiring a token's IAM user went: done (or nothing to do), or blocked with what is left on
 * the user and why (sentences naming IAM entities and AWS error codes, never key material).
 */
public record Cleanup(String userName, List<String> left) {
  static final Cleanup DONE = new Cleanup(null, List.of());

  public Cleanup {
    left = List.copyOf(left);
  }

  /** Nothing is left: the user is gone, kept on purpose (Retain), or never existed. */
  public boolean done() {
    return left.isEmpty();
  }

  /** For the token's status and Event: what is left and why. */
  public String message() {
    return "Deleting IAM user " + userName + " is blocked by: " + String.join("; ", left)
        + ". Its registry records are retired, and it keeps its deny-all policy until everything else is gone."
        + " Retrying with backoff.";
  }
}
