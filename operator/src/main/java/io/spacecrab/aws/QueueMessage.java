package io.spacecrab.aws;

/** One SQS message: its body, the handle that deletes it, and how often it was received. */
public record QueueMessage(String messageId, String receiptHandle, String body, int receiveCount) {}
