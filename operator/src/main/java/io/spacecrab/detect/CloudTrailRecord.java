package io.spacecrab.detect;

/**
 * The fields of one CloudTrail record that attribution and alerting need; null means absent.
 * Every string is at most the parser's field cap long; a longer value is cut and ends with
 * {@link #TRUNCATED_MARK}.
 *
 * @param eventId CloudTrail {@code eventID}, the natural idempotency key of an alert
 * @param eventTime {@code eventTime} as written by CloudTrail (ISO-8601, UTC)
 * @param identityType {@code userIdentity.type}: IAMUser, AssumedRole, AWSService, …
 * @param accountId {@code userIdentity.accountId}
 * @param sessionAccessKeyId {@code responseElements.credentials.accessKeyId}: the {@code ASIA…}
 *     key minted by GetSessionToken (and other credential-issuing calls)
 */
public record CloudTrailRecord(
    String eventId,
    String eventTime,
    String eventSource,
    String eventName,
    String awsRegion,
    String sourceIpAddress,
    String userAgent,
    String errorCode,
    String identityType,
    String principalId,
    String arn,
    String accountId,
    String accessKeyId,
    String userName,
    String sessionAccessKeyId) {

  /** Appended to a value cut at the field cap. */
  public static final String TRUNCATED_MARK = "...[truncated]";

  /** True when CloudTrail recorded an error (AccessDenied and the like) for the call. */
  public boolean failed() {
    return errorCode != null;
  }
}
