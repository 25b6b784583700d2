package io.spacecrab.api;

import io.spacecrab.api.v1alpha1.PathSighting;
import io.spacecrab.api.v1alpha1.PipelineHealthStatus;

/** The two ways a CloudTrail record reaches the detector; the self-test watches each. */
public enum IntakePath {
  /** A log file CloudTrail wrote to S3, announced through SQS (minutes). */
  S3("s3", "S3Delivering", "CloudTrail log files (S3 notifications)"),
  /** An event EventBridge forwarded to SQS (seconds). */
  EVENTBRIDGE("eventbridge", "EventBridgeDelivering", "EventBridge events");

  private final String tag;
  private final String condition;
  private final String description;

  IntakePath(String tag, String condition, String description) {
    this.tag = tag;
    this.condition = condition;
    this.description = description;
  }

  /** Metric tag value and JSON field stem. */
  public String tag() {
    return tag;
  }

  /** The PipelineHealth condition type about this path. */
  public String condition() {
    return condition;
  }

  /** What a human reads in a notice. */
  public String description() {
    return description;
  }

  /** Puts this path's sighting into the status. */
  public void record(PipelineHealthStatus status, PathSighting sighting) {
    if (this == S3) {
      status.setS3(sighting);
    } else {
      status.setEventBridge(sighting);
    }
  }

  /** This path's sighting in the status; null when none was recorded. */
  public PathSighting sighting(PipelineHealthStatus status) {
    return status == null ? null : this == S3 ? status.getS3() : status.getEventBridge();
  }
}
