package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * The self-test's record. Two writers, each with its own fields (each written on a fresh read
 * with optimistic concurrency, so neither overwrites the other): the operator ({@code calls}, {@code lastCallTime}, {@code lastCallError},
 * {@code conditions}) and the detector ({@code s3}, {@code eventBridge}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PipelineHealthStatus extends ConditionedStatus {
  @JsonPropertyDescription("Times of the latest self-test calls (sts:GetCallerIdentity with the self-test key), oldest first, at most 20.")
  private List<String> calls = new ArrayList<>();
  @JsonPropertyDescription("Time of the latest self-test call.")
  private String lastCallTime;
  @JsonPropertyDescription("Why the latest attempt to make the self-test call failed; absent when it worked.")
  private String lastCallError;
  @JsonPropertyDescription("The latest self-test use the detector read from a CloudTrail log file (S3 notification).")
  private PathSighting s3;
  @JsonPropertyDescription("The latest self-test use the detector read from an EventBridge event.")
  private PathSighting eventBridge;

  @Override
  @JsonPropertyDescription("S3Delivering and EventBridgeDelivering: True while every self-test call older than the path's deadline (--self-test-deadline-s3, --self-test-deadline-eventbridge) was seen through that path; False (reason SelfTestMissing) since the first call that was not, which also sent a PipelineDown notice to the AlertSinks with match.pipelineNotices. Reason Waiting before the first call's deadline. SelfTestCalling: whether the operator could make its self-test call.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

  public List<String> getCalls() {
    return calls;
  }

  public void setCalls(List<String> calls) {
    this.calls = calls;
  }

  public String getLastCallTime() {
    return lastCallTime;
  }

  public void setLastCallTime(String lastCallTime) {
    this.lastCallTime = lastCallTime;
  }

  public String getLastCallError() {
    return lastCallError;
  }

  public void setLastCallError(String lastCallError) {
    this.lastCallError = lastCallError;
  }

  public PathSighting getS3() {
    return s3;
  }

  public void setS3(PathSighting s3) {
    this.s3 = s3;
  }

  public PathSighting getEventBridge() {
    return eventBridge;
  }

  public void setEventBridge(PathSighting eventBridge) {
    this.eventBridge = eventBridge;
  }
}
