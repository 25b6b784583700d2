package io.spacecrab.testing;

import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The AWS side of the detector on moto, built from cloudformation/spacecrab.yaml ({@link AwsStack}):
 * the trail's log bucket, whose log files reach the cluster's queue (with its dead-letter queue)
 * through the trail's topic, plus a second bucket without notifications for hand-made messages.
 */
public final class LogPipeline implements AutoCloseable {
  public static final String BUCKET = "trail-logs";
  public static final String QUIET_BUCKET = "trail-archive";

  public final S3Client s3;
  public final SqsClient sqs;
  public final String queueUrl;
  public final String dlqUrl;

  private LogPipeline(S3Client s3, SqsClient sqs, String queueUrl, String dlqUrl) {
    this.s3 = s3;
    this.sqs = sqs;
    this.queueUrl = queueUrl;
    this.dlqUrl = dlqUrl;
  }

  /** Creates buckets and queues; a kept message goes to the DLQ after {@code maxReceives} receives. */
  public static LogPipeline create(MotoServer moto, int maxReceives, int visibilitySeconds) {
    Region region = Region.of(MotoServer.REGION);
    S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(region).forcePathStyle(true)
        .credentialsProvider(moto.adminCredentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(region)
        .credentialsProvider(moto.adminCredentials()).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    AwsStack stack = AwsStack.deploy(moto, Map.of("ClusterId", "test-cluster", "LogBucketName", BUCKET,
        "LogEncryption", "s3", "FastPath", "false", "QueueVisibilityTimeout", Integer.toString(visibilitySeconds),
        "MaxReceiveCount", Integer.toString(maxReceives)), List.of("Trail", "TrailSubscription"));
    s3.createBucket(r -> r.bucket(QUIET_BUCKET));
    return new LogPipeline(s3, sqs, stack.outputs().get("QueueUrl"), stack.outputs().get("DeadLetterQueueUrl"));
  }

  public void put(String bucket, String key, byte[] bytes) {
    s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
  }

  public void send(String body) {
    sqs.sendMessage(r -> r.queueUrl(queueUrl).messageBody(body));
  }

  /** Messages visible or in flight on a queue. */
  public int depth(String url) {
    var attrs = sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(
        QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE))
        .attributes();
    return Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
        + Integer.parseInt(attrs.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
  }

  /** An S3 event notification for one object, as S3 sends it (key URL-encoded). */
  public static String s3Event(String bucket, String key) {
    String encoded = java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).replace("%2F", "/");
    return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
        + "\"eventTime\":\"2026-11-30T21:00:00.000Z\",\"eventName\":\"ObjectCreated:Put\","
        + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"bucket\":{\"name\":\"" + bucket + "\",\"arn\":\"arn:aws:s3:::" + bucket
        + "\"},\"object\":{\"key\":\"" + encoded + "\",\"size\":1234}}}]}";
  }

  /** Wraps a message the way SNS delivers it to SQS (raw delivery off). */
  public static String sns(String message) {
    return "{\"Type\":\"Notification\",\"MessageId\":\"" + java.util.UUID.randomUUID()
        + "\",\"TopicArn\":\"arn:aws:sns:us-east-1:123456789012:trail\",\"Message\":"
        + new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(message).toString()
        + ",\"Timestamp\":\"2026-11-30T21:00:00.000Z\",\"SignatureVersion\":\"1\"}";
  }

  /** CloudTrail's own SNS notification of delivered files. */
  public static String cloudTrailDelivery(String bucket, String... keys) {
    StringBuilder b = new StringBuilder("{\"s3Bucket\":\"" + bucket + "\",\"s3ObjectKey\":[");
    for (int i = 0; i < keys.length; i++) {
      b.append(i == 0 ? "" : ",").append('"').append(keys[i]).append('"');
    }
    return b.append("]}").toString();
  }

  /** An EventBridge "AWS API Call via CloudTrail" event around one record. */
  public static String eventBridge(String recordJson) {
    return "{\"version\":\"0\",\"id\":\"" + java.util.UUID.randomUUID() + "\",\"detail-type\":\"AWS API Call via "
        + "CloudTrail\",\"source\":\"aws.s3\",\"account\":\"123456789012\",\"time\":\"2026-11-30T21:00:00Z\","
        + "\"region\":\"us-east-1\",\"resources\":[],\"detail\":" + recordJson + "}";
  }

  @Override
  public void close() {
    s3.close();
    sqs.close();
  }
}
