package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The latest self-test use the detector saw through one intake path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PathSighting {
  @JsonPropertyDescription("CloudTrail's eventTime of the latest self-test call seen through this path.")
  private String lastEventTime;
  @JsonPropertyDescription("When the detector read it.")
  private String detectedAt;

  public String getLastEventTime() {
    return lastEventTime;
  }

  public void setLastEventTime(String lastEventTime) {
    this.lastEventTime = lastEventTime;
  }

  public String getDetectedAt() {
    return detectedAt;
  }

  public void setDetectedAt(String detectedAt) {
    this.detectedAt = detectedAt;
  }
}
