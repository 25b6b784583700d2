package io.spacecrab.aws;

import java.time.Instant;

/**
 * One SQS message: its body, the handle that deletes it, how often it was received, and when it was
 * first sent to the queue (SQS's SentTimestamp; null when SQS did not say).
 */
public record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount, Instant sentAt) {

  public QueueMessage(String messageId, String receiptHandle, String body, int receiveCount) {
    this(messageId, receiptHandle, body, receiveCount, null);
  }
}
