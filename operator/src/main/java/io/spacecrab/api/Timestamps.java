package io.spacecrab.api;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The RFC 3339 times our objects carry as strings (status, alert spec). */
public final class Timestamps {
  private Timestamps() {}

  /** The instant, or null when the text is absent or not an RFC 3339 UTC time. */
  public static Instant parse(String text) {
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
