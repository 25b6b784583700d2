package io.spacecrab.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The delay a {@code Retry-After} header asks for: delay-seconds or an HTTP-date. */
final class RetryAfter {
  /** Longer requests are cut to this (the give-up deadline still applies). */
  static final Duration MAX = Duration.ofHours(24);

  private RetryAfter() {}

  /** The delay, never negative, at most {@link #MAX}; empty when absent or unparseable. */
  static Optional<Duration> parse(String header, Clock clock) {
    if (header == null) {
      return Optional.empty();
    }
    String value = header.strip();
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (value.length() > 9) {
        return Optional.of(MAX);
      }
      return Optional.of(min(Duration.ofSeconds(Long.parseLong(value))));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      Duration d = Duration.between(clock.instant(), at.toInstant());
      return Optional.of(d.isNegative() ? Duration.ZERO : min(d));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration min(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
