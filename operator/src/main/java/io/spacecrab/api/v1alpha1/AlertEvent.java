package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One CloudTrail record of a token's use, as kept on the alert. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertEvent {
  @JsonPropertyDescription("CloudTrail eventID (the key that makes alerts idempotent).")
  private String eventID;
  @JsonPropertyDescription("When the call was made (CloudTrail eventTime).")
  private String eventTime;
  @JsonPropertyDescription("The AWS service called, e.g. s3.amazonaws.com.")
  private String eventSource;
  @JsonPropertyDescription("The API called, e.g. ListBuckets.")
  private String eventName;
  @JsonPropertyDescription("The region the call was made in.")
  private String awsRegion;
  @JsonPropertyDescription("Source IP address of the caller (attacker-controlled text).")
  private String sourceIPAddress;
  @JsonPropertyDescription("User agent of the caller (attacker-controlled text).")
  private String userAgent;
  @JsonPropertyDescription("AWS error code of the call, e.g. AccessDenied.")
  private String errorCode;
  @JsonPropertyDescription("Access key id the call was signed with (the token's key or a session key minted from it).")
  private String accessKeyId;
  @JsonPropertyDescription("How the record was attributed: AccessKeyId, SessionKeyId, PrincipalId, Arn or UserName.")
  private String matchedBy;
  @JsonPropertyDescription("The AWS service that made this call on the caller's behalf (userIdentity.invokedBy, e.g. health.amazonaws.com or AWS Internal); absent when the caller made it directly.")
  private String invokedBy;
  @JsonPropertyDescription("True for a call that only reads (CloudTrail readOnly).")
  private Boolean readOnly;
  @JsonPropertyDescription("CloudTrail eventType: AwsApiCall, AwsConsoleSignIn, AwsServiceEvent or AwsConsoleAction.")
  private String eventType;
  @JsonPropertyDescription("The session of the temporary credentials the call was made with (console or GetSessionToken session, MFA, creation time); absent for a call signed with the long-term key.")
  private AlertSession session;

  public String getEventID() {
    return eventID;
  }

  public void setEventID(String eventID) {
    this.eventID = eventID;
  }

  public String getEventTime() {
    return eventTime;
  }

  public void setEventTime(String eventTime) {
    this.eventTime = eventTime;
  }

  public String getEventSource() {
    return eventSource;
  }

  public void setEventSource(String eventSource) {
    this.eventSource = eventSource;
  }

  public String getEventName() {
    return eventName;
  }

  public void setEventName(String eventName) {
    this.eventName = eventName;
  }

  public String getAwsRegion() {
    return awsRegion;
  }

  public void setAwsRegion(String awsRegion) {
    this.awsRegion = awsRegion;
  }

  public String getSourceIPAddress() {
    return sourceIPAddress;
  }

  public void setSourceIPAddress(String sourceIPAddress) {
    this.sourceIPAddress = sourceIPAddress;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public void setUserAgent(String userAgent) {
    this.userAgent = userAgent;
  }

  public String getErrorCode() {
    return errorCode;
  }

  public void setErrorCode(String errorCode) {
    this.errorCode = errorCode;
  }

  public String getAccessKeyId() {
    return accessKeyId;
  }

  public void setAccessKeyId(String accessKeyId) {
    this.accessKeyId = accessKeyId;
  }

  public String getMatchedBy() {
    return matchedBy;
  }

  public void setMatchedBy(String matchedBy) {
    this.matchedBy = matchedBy;
  }

  public String getInvokedBy() {
    return invokedBy;
  }

  public void setInvokedBy(String invokedBy) {
    this.invokedBy = invokedBy;
  }

  public Boolean getReadOnly() {
    return readOnly;
  }

  public void setReadOnly(Boolean readOnly) {
    this.readOnly = readOnly;
  }

  public String getEventType() {
    return eventType;
  }

  public void setEventType(String eventType) {
    this.eventType = eventType;
  }

  public AlertSession getSession() {
    return session;
  }

  public void setSession(AlertSession session) {
    this.session = session;
  }
}
