package io.spacecrab.detect;

import java.util.List;

/** What one queue message asks the detector to do. */
public sealed interface Notification {

  /** CloudTrail log files to read; {@code skipped} counts keys that are not logs (digests, insights, others). */
  record LogFiles(List<S3Location> files, int skipped) implements Notification {}

  /** S3's test message when a notification is configured: acknowledge, nothing to read. */
  record TestEvent() implements Notification {}

  /** One CloudTrail event delivered by EventBridge ("AWS API Call via CloudTrail"); the JSON as received. */
  record ApiCallEvent(byte[] json) implements Notification {}

  /** A message of no known shape: left on the queue for its redrive policy. */
  record Unrecognised(String reason) implements Notification {}
}
