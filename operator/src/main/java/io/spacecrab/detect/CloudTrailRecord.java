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
 * @param invokedBy {@code userIdentity.invokedBy}: the AWS service that made the call on the
 *     caller's behalf ({@code health.amazonaws.com}, {@code AWS Internal}, …)
 * @param readOnly {@code readOnly}: true for a call that only reads
 * @param eventType {@code eventType}: AwsApiCall, AwsConsoleSignIn, AwsServiceEvent, …
 * @param fromConsole {@code sessionCredentialFromConsole}: the credentials are a console session's
 * @param mfaAuthenticated {@code userIdentity.sessionContext.attributes.mfaAuthenticated}
 * @param sessionCreatedAt {@code userIdentity.sessionContext.attributes.creationDate}
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
    String sessionAccessKeyId,
    String invokedBy,
    Boolean readOnly,
    String eventType,
    Boolean fromConsole,
    Boolean mfaAuthenticated,
    String sessionCreatedAt) {

  /** Appended to a value cut at the field cap. */
  public static final String TRUNCATED_MARK = "...[truncated]";

  /** A record without the call's context (invokedBy, readOnly, eventType, session). */
  public CloudTrailRecord(String eventId, String eventTime, String eventSource, String eventName,
      String awsRegion, String sourceIpAddress, String userAgent, String errorCode,
      String identityType, String principalId, String arn, String accountId, String accessKeyId,
      String userName, String sessionAccessKeyId) {
    this(eventId, eventTime, eventSource, eventName, awsRegion, sourceIpAddress, userAgent,
        errorCode, identityType, principalId, arn, accountId, accessKeyId, userName,
        sessionAccessKeyId, null, null, null, null, null, null);
  }

  /** True when CloudTrail recorded an error (AccessDenied and the like) for the call. */
  public boolean failed() {
    return errorCode != null;
  }

  /**
   * True when the call was signed with temporary credentials: a session key ({@code ASIA…}), a
   * session context, or a console session.
   */
  public boolean temporaryCredentials() {
    return Boolean.TRUE.equals(fromConsole)
        || mfaAuthenticated != null
        || sessionCreatedAt != null
        || (accessKeyId != null && AccessKeyId.isSession(accessKeyId));
  }
}
