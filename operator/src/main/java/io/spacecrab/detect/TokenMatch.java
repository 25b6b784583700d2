package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;

/** A CloudTrail record attributed to a honey token, and by which identity field. */
public record TokenMatch(
    RegistryRecord entry, CloudTrailRecord record, TokenMatch.MatchedBy matchedBy) {

  /** The identity field that attributed the record, strongest first. */
  public enum MatchedBy {
    /** {@code userIdentity.accessKeyId} is the token's key. */
    ACCESS_KEY_ID,
    /** {@code userIdentity.accessKeyId} is a session key the token's user minted earlier. */
    SESSION_KEY_ID,
    /** {@code userIdentity.principalId} is the token's IAM user. */
    PRINCIPAL_ID,
    /** {@code userIdentity.arn} is the token's IAM user. */
    ARN,
    /** {@code userIdentity.userName} is the token's IAM user, in the token's account. */
    USER_NAME
  }
}
