package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.testing.LogPipeline;
import org.junit.jupiter.api.Test;

class NotificationParserTest {
  static final String LOG = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/30/f.json.gz";
  static final String DIGEST = "AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/30/d.json.gz";

  @Test
  void s3EventKeysAreUrlDecoded() {
    String body = LogPipeline.s3Event("logs", "AWSLogs/1/CloudTrail/us-east-1/2026/11/30/a b+c=d.json.gz");
    assertThat(body).contains("a+b%2Bc%3Dd");
    assertThat(NotificationParser.parse(body)).isEqualTo(new Notification.LogFiles(
        java.util.List.of(new S3Location("logs", "AWSLogs/1/CloudTrail/us-east-1/2026/11/30/a b+c=d.json.gz")), 0));
  }

  @Test
  void snsWrappedS3EventAndCloudTrailDeliveryAreUnwrapped() {
    assertThat(NotificationParser.parse(LogPipeline.sns(LogPipeline.s3Event("logs", LOG))))
        .isEqualTo(new Notification.LogFiles(java.util.List.of(new S3Location("logs", LOG)), 0));
    assertThat(NotificationParser.parse(LogPipeline.sns(LogPipeline.cloudTrailDelivery("logs", LOG, DIGEST))))
        .isEqualTo(new Notification.LogFiles(java.util.List.of(new S3Location("logs", LOG)), 1));
  }

  @Test
  void digestsInsightsAndOtherKeysAreSkippedAndCounted() {
    assertThat(NotificationParser.parse(LogPipeline.s3Event("logs", DIGEST)))
        .isEqualTo(new Notification.LogFiles(java.util.List.of(), 1));
    assertThat(NotificationParser.isLogFile("AWSLogs/1/CloudTrail-Insight/us-east-1/x.json.gz")).isFalse();
    assertThat(NotificationParser.isLogFile("AWSLogs/1/CloudTrail/us-east-1/readme.txt")).isFalse();
  }

  @Test
  void testEventsAndEventBridgeCallsAreRecognised() {
    assertThat(NotificationParser.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"logs\"}"))
        .isInstanceOf(Notification.TestEvent.class);
    assertThat(NotificationParser.parse(LogPipeline.sns("{\"Event\":\"s3:TestEvent\"}")))
        .isInstanceOf(Notification.TestEvent.class);
    assertThat(NotificationParser.parse(LogPipeline.eventBridge("{\"eventID\":\"e\"}")))
        .isInstanceOf(Notification.ApiCallEvent.class);
  }

  @Test
  void anythingElseIsUnrecognisedWithAReasonAndNeverThrows() {
    for (String body : new String[] {"", "null", "[]", "not json", "{\"a\":1}", "{\"Records\":[]}",
        "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\"}]}",
        "{\"detail-type\":\"EC2 Instance State-change Notification\",\"detail\":{}}",
        LogPipeline.sns(LogPipeline.sns(LogPipeline.sns("{}"))), "{\"Type\":\"Notification\",\"Message\":\"{{{\"}"}) {
      assertThat(NotificationParser.parse(body)).as(body).isInstanceOf(Notification.Unrecognised.class);
    }
  }
}
