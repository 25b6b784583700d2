package io.spacecrab.detect;

/**
 * Lifecycle state of a registry entry, named as the registry stores it. Every state still alerts
 * (a deleted token's tombstone must catch late CloudTrail records); the declaration order is the
 * preference when several entries share one IAM user and a record names only the user.
 */
public enum TokenState {
  /** The key is live and planted. */
  Active,
  /** The token was deleted with deletionPolicy Retain: the key stays live as a tripwire. */
  Retained,
  /** The key was replaced; the entry is a tombstone. */
  Replaced,
  /** The token was deleted; the entry is a tombstone. */
  Retired
}
