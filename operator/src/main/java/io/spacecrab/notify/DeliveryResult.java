package io.spacecrab.notify;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of one delivery attempt.
 *
 * @param httpStatus the response status, 0 when no response arrived
 * @param retryAfter what the server's {@code Retry-After} asked for, when it sent one
 * @param error a short sentence safe to show in a status or log (no URL path, no secret);
 *     null on success
 */
public record DeliveryResult(
    Outcome outcome, int httpStatus, Optional<Duration> retryAfter, String error) {

  /** The classification of an attempt. */
  public enum Outcome {
    /** Accepted (2xx; PagerDuty answers 202). Never send it again. */
    SUCCESS,
    /** Failed in a way that may pass: 408, 429, 5xx, timeouts, connection errors. */
    RETRY,
    /** Failed in a way that repeating will not fix: other 4xx, redirects, refused destination. */
    FAILED_PERMANENTLY
  }

  public DeliveryResult {
    Objects.requireNonNull(outcome, "outcome");
    retryAfter = retryAfter == null ? Optional.empty() : retryAfter;
  }

  static DeliveryResult success(int status) {
    return new DeliveryResult(Outcome.SUCCESS, status, Optional.empty(), null);
  }

  static DeliveryResult retry(int status, Optional<Duration> retryAfter, String error) {
    return new DeliveryResult(Outcome.RETRY, status, retryAfter, error);
  }

  static DeliveryResult failed(int status, String error) {
    return new DeliveryResult(Outcome.FAILED_PERMANENTLY, status, Optional.empty(), error);
  }

  /** True for {@link Outcome#SUCCESS}. */
  public boolean delivered() {
    return outcome == Outcome.SUCCESS;
  }
}
