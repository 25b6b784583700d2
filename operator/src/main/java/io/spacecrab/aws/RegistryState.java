package io.spacecrab.aws;

/**
 * Life stage of a registry record. Every state still alerts on use (a tombstone must catch late
 * CloudTrail records); the declaration order is the detector's preference when several records
 * share one IAM user and a CloudTrail record names only the user.
 */
public enum RegistryState {
  /** The key is live and planted. */
  Active,
  /** The token was deleted with deletionPolicy Retain: the key stays live as a tripwire. */
  Retained,
  /** The key was replaced (deleted or deactivated out of band); kept as a tombstone. */
  Replaced,
  /** The token was deleted; kept as a tombstone until its TTL. */
  Retired
}
