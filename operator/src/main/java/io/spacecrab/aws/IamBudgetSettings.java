package io.spacecrab.aws;

import java.time.Duration;

/**
 * The IAM call budget: a steady rate and burst, and how it adapts to throttling answers
 * (multiplicative decrease at most once per {@code decreaseInterval}, down to {@code minCallsPerSecond};
 * additive increase per successful call, up to {@code callsPerSecond}).
 */
public record IamBudgetSettings(double callsPerSecond, int burst, double minCallsPerSecond, double decreaseFactor,
    double increasePerSuccess, Duration decreaseInterval) {

  /** Throws IllegalArgumentException naming the first setting out of range. */
  public IamBudgetSettings {
    if (!(callsPerSecond > 0) || Double.isInfinite(callsPerSecond)) {
      throw new IllegalArgumentException("callsPerSecond must be a positive number, not " + callsPerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, not " + burst);
    }
    if (!(minCallsPerSecond > 0) || minCallsPerSecond > callsPerSecond) {
      throw new IllegalArgumentException("minCallsPerSecond must be above 0 and at most callsPerSecond, not "
          + minCallsPerSecond);
    }
    if (!(decreaseFactor > 0 && decreaseFactor < 1)) {
      throw new IllegalArgumentException("decreaseFactor must be between 0 and 1, not " + decreaseFactor);
    }
    if (!(increasePerSuccess > 0)) {
      throw new IllegalArgumentException("increasePerSuccess must be positive, not " + increasePerSuccess);
    }
    if (decreaseInterval == null || decreaseInterval.isNegative()) {
      throw new IllegalArgumentException("decreaseInterval must be zero or positive");
    }
  }

  /**
   * Rate R and burst B with the default adaptation: ×0.7 on throttling (the AWS SDK's adaptive
   * mode uses the same factor) at most once a second, floor R/10, +R/10 per success.
   */
  public static IamBudgetSettings of(double callsPerSecond, int burst) {
    return new IamBudgetSettings(callsPerSecond, burst, callsPerSecond / 10, 0.7, callsPerSecond / 10,
        Duration.ofSeconds(1));
  }
}
