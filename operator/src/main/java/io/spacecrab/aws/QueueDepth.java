package io.spacecrab.aws;

/** SQS's approximate message counts of one queue (GetQueueAttributes): waiting, received and not yet deleted, delayed. */
public record QueueDepth(long visible, long inFlight, long delayed) {}
