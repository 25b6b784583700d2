package io.spacecrab.aws;

import java.util.List;

/** The detector's notification queue (SQS). Every failure is an {@link AwsCallException}. */
public interface MessageQueue {

  /** Long-polls for up to {@code max} messages, waiting at most {@code waitSeconds}; may return none. */
  List<QueueMessage> receive(int max, int waitSeconds);

  /** Deletes a processed message; deleting one that is already gone is not an error. */
  void delete(QueueMessage message);

  /** The queue's approximate message counts (GetQueueAttributes); reads only. */
  QueueDepth depth();
}
