package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Delivery of one alert to one sink. Never holds credentials or full URLs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Delivery {
  @JsonPropertyDescription("Name of the AlertSink.")
  private String sink;
  @JsonPropertyDescription("Sending (an attempt is under way, or was cut off: it is made again under the same notificationId), Delivered, Retrying, Failed, or Suppressed (every call so far matched this sink's knownScanners: nothing was sent; a call that does not match opens the incident here as usual).")
  private String state;
  @JsonPropertyDescription("Attempts of the notification being delivered now (reset after a success).")
  private Integer attempts;
  @JsonPropertyDescription("HTTP status of the last attempt (0 when no answer).")
  private Integer lastHttpStatus;
  @JsonPropertyDescription("Why the last attempt failed, in words.")
  private String lastError;
  @JsonPropertyDescription("When the notification being delivered was first tried.")
  private String firstAttemptTime;
  @JsonPropertyDescription("When the next attempt is due.")
  private String nextAttemptTime;
  @JsonPropertyDescription("When a notification was last delivered.")
  private String deliveredTime;
  @JsonPropertyDescription("The incident's eventCount at the last delivery.")
  private Long deliveredEventCount;
  @JsonPropertyDescription("What was last delivered: opened, updated or resolved.")
  private String deliveredKind;
  @JsonPropertyDescription("Notifications delivered to this sink for this incident.")
  private Integer notifications;
  @JsonPropertyDescription("What is being (or failed to be) delivered: opened, updated or resolved.")
  private String attemptedKind;
  @JsonPropertyDescription("The incident's eventCount when the notification being delivered was made.")
  private Long attemptedEventCount;
  @JsonPropertyDescription("Calls of the incident this sink's knownScanners matched, when it was suppressed or its last notification delivered. Updates are sent when calls that do not match grow.")
  private Long suppressedCalls;
  @JsonPropertyDescription("Names of the knownScanners rules that matched those calls.")
  private java.util.List<String> suppressedBy;
  @JsonPropertyDescription("Id of the notification being (or last) delivered: the webhook-id, the same on every attempt of it.")
  private String notificationId;

  public Long getSuppressedCalls() {
    return suppressedCalls;
  }

  public void setSuppressedCalls(Long suppressedCalls) {
    this.suppressedCalls = suppressedCalls;
  }

  public java.util.List<String> getSuppressedBy() {
    return suppressedBy;
  }

  public void setSuppressedBy(java.util.List<String> suppressedBy) {
    this.suppressedBy = suppressedBy;
  }

  public String getNotificationId() {
    return notificationId;
  }

  public void setNotificationId(String notificationId) {
    this.notificationId = notificationId;
  }

  public String getAttemptedKind() {
    return attemptedKind;
  }

  public void setAttemptedKind(String attemptedKind) {
    this.attemptedKind = attemptedKind;
  }

  public Long getAttemptedEventCount() {
    return attemptedEventCount;
  }

  public void setAttemptedEventCount(Long attemptedEventCount) {
    this.attemptedEventCount = attemptedEventCount;
  }

  public String getSink() {
    return sink;
  }

  public void setSink(String sink) {
    this.sink = sink;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public Integer getAttempts() {
    return attempts;
  }

  public void setAttempts(Integer attempts) {
    this.attempts = attempts;
  }

  public Integer getLastHttpStatus() {
    return lastHttpStatus;
  }

  public void setLastHttpStatus(Integer lastHttpStatus) {
    this.lastHttpStatus = lastHttpStatus;
  }

  public String getLastError() {
    return lastError;
  }

  public void setLastError(String lastError) {
    this.lastError = lastError;
  }

  public String getFirstAttemptTime() {
    return firstAttemptTime;
  }

  public void setFirstAttemptTime(String firstAttemptTime) {
    this.firstAttemptTime = firstAttemptTime;
  }

  public String getNextAttemptTime() {
    return nextAttemptTime;
  }

  public void setNextAttemptTime(String nextAttemptTime) {
    this.nextAttemptTime = nextAttemptTime;
  }

  public String getDeliveredTime() {
    return deliveredTime;
  }

  public void setDeliveredTime(String deliveredTime) {
    this.deliveredTime = deliveredTime;
  }

  public Long getDeliveredEventCount() {
    return deliveredEventCount;
  }

  public void setDeliveredEventCount(Long deliveredEventCount) {
    this.deliveredEventCount = deliveredEventCount;
  }

  public String getDeliveredKind() {
    return deliveredKind;
  }

  public void setDeliveredKind(String deliveredKind) {
    this.deliveredKind = deliveredKind;
  }

  public Integer getNotifications() {
    return notifications;
  }

  public void setNotifications(Integer notifications) {
    this.notifications = notifications;
  }
}
