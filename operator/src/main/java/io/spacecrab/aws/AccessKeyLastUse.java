package io.spacecrab.aws;

import java.time.Instant;

/**
 * IAM's own record of an access key's latest use (GetAccessKeyLastUsed): when, and the service and
 * region the request named. IAM reports the time with reduced precision ({@link #PRECISION}).
 */
public record AccessKeyLastUse(Instant lastUsed, String serviceName, String region) {
  /**
   * How far IAM's time may be from the actual request. The API reference states no precision; its
   * examples and the answers AWS gives carry whole minutes, so the time is read as accurate to one minute.
   */
  public static final java.time.Duration PRECISION = java.time.Duration.ofMinutes(1);
}
