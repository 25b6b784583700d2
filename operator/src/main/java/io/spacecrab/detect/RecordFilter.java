package io.spacecrab.detect;

/**
 * Decides from a record's identity, before the record is materialised, whether it might be ours.
 * Called once per record from the parsing thread with reused buffers that are only valid during
 * the call (an absent field is empty); implementations must be cheap, must not keep the
 * arguments, and must be thread-safe when one filter serves several parsers.
 */
@FunctionalInterface
public interface RecordFilter {
  /** Accepts every record. */
  RecordFilter ALL = (accessKeyId, principalId, arn, userName) -> true;

  /** True if the record with this {@code userIdentity} may be ours; false drops it unread. */
  boolean mightMatch(
      CharSequence accessKeyId, CharSequence principalId, CharSequence arn, CharSequence userName);
}
