package io.spacecrab.notify;

import java.time.Duration;
import java.util.Objects;

/**
 * How long and how much one outbound request may take.
 *
 * @param connectTimeout to establish the connection (TLS included)
 * @param readTimeout from sending the request to receiving the response headers
 * @param deadline for the whole exchange, body included: a server dribbling bytes is cut off
 * @param maxResponseBytes most bytes of an error response read (a success body is not read)
 */
public record OutboundLimits(
    Duration connectTimeout, Duration readTimeout, Duration deadline, int maxResponseBytes) {

  /** 5 s to connect, 10 s to the headers, 20 s in all, 64 KiB of body. */
  public static final OutboundLimits DEFAULTS =
      new OutboundLimits(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20),
          64 * 1024);

  public OutboundLimits {
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(deadline, "deadline");
    if (maxResponseBytes < 0) {
      throw new IllegalArgumentException("maxResponseBytes must not be negative");
    }
  }

  private static void requirePositive(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
