package io.spacecrab.detect;

/**
 * Lifecycle state of a registry entry. Every state still alerts (a deleted token's tombstone
 * must catch late CloudTrail records); the declaration order is the preference when several
 * entries share one IAM user and a record names only the user.
 */
public enum TokenState {
  /** The key is live and planted. */
  ACTIVE,
  /** The HoneyToken is gone but its key was kept on purpose. */
  RETAINED,
  /** Rotated out: a newer key replaced this one. */
  REPLACED,
  /** Deleted; the entry is a tombstone. */
  RETIRED
}
