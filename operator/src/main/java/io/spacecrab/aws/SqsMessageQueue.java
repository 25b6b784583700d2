package io.spacecrab.aws;

import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageSystemAttributeName;
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
            .messageSystemAttributeNames(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT))
        .messages().stream()
        .map(m -> new QueueMessage(m.messageId(), m.receiptHandle(), m.body(),
            Integer.parseInt(m.attributes().getOrDefault(MessageSystemAttributeName.APPROXIMATE_RECEIVE_COUNT, "1"))))
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
}
