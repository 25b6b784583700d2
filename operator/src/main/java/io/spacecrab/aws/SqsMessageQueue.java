package io.spacecrab.aws;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.ReceiptHandleIsInvalidException;

/** {@link MessageQueue} on SQS. */
public class SqsMessageQueue implements MessageQueue {
  private final SqsClient sqs;
  private final String queueUrl;

  public SqsMessageQueue(SqsClient sqs, String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public List<QueueMessage> receive(int max, int waitSeconds) {
    return AwsErrors.call("SQS ReceiveMessage", () -> sqs.receiveMessage(r -> r.queueUrl(queueUrl)
            .maxNumberOfMessages(max).waitTimeSeconds(waitSeconds)
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT,
                MessageSystemAttributeName.SENT_TIMESTAMP))
        .messages().stream()
        .map(m -> new QueueMessage(m.messageId(), m.receiptHandle(), m.body(),
            Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1")),
            sentAt(m.attributes().get(MessageSystemAttributeName.SENT_TIMESTAMP))))
        .toList());
  }

  @Override
  public void delete(QueueMessage message) {
    AwsErrors.run("SQS DeleteMessage", () -> {
      try {
        sqs.deleteMessage(r -> r.queueUrl(queueUrl).receiptHandle(message.receiptHandle()));
      } catch (ReceiptHandleIsInvalidException e) {
        // already deleted, or the visibility timeout passed and another receiver has it
      }
    });
  }

  @Override
  public QueueDepth depth() {
    Map<QueueAttributeName, String> attrs = AwsErrors.call("SQS GetQueueAttributes", () -> sqs.getQueueAttributes(
        r -> r.queueUrl(queueUrl).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
            QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes());
    return new QueueDepth(count(attrs, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES),
        count(attrs, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE),
        count(attrs, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED));
  }

  private static long count(Map<QueueAttributeName, String> attrs, QueueAttributeName name) {
    try {
      return Long.parseLong(attrs.getOrDefault(name, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Instant sentAt(String millis) {
    try {
      return millis == null ? null : Instant.ofEpochMilli(Long.parseLong(millis));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
