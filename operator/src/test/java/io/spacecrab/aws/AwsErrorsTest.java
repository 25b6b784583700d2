package io.spacecrab.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.aws.AwsCallException.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

class AwsErrorsTest {

  @Test
  void classifiesByErrorCodeThenStatus() {
    assertThat(AwsErrors.kindOf("Throttling", 400, false)).isEqualTo(Kind.THROTTLED);
    assertThat(AwsErrors.kindOf(null, 429, false)).isEqualTo(Kind.THROTTLED);
    assertThat(AwsErrors.kindOf("ServiceFailure", 500, false)).isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.kindOf("ConcurrentModification", 409, false)).isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.kindOf("EntityTemporarilyUnmodifiable", 409, false)).isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.kindOf(null, 503, false)).isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.kindOf("NoSuchEntity", 404, false)).isEqualTo(Kind.NOT_FOUND);
    assertThat(AwsErrors.kindOf("EntityAlreadyExists", 409, false)).isEqualTo(Kind.ALREADY_EXISTS);
    assertThat(AwsErrors.kindOf("LimitExceeded", 409, false)).isEqualTo(Kind.QUOTA);
    assertThat(AwsErrors.kindOf("AccessDenied", 403, false)).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(AwsErrors.kindOf("InvalidClientTokenId", 403, false)).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(AwsErrors.kindOf("ConditionalCheckFailedException", 400, false)).isEqualTo(Kind.CONFLICT);
    assertThat(AwsErrors.kindOf("ValidationError", 400, false)).isEqualTo(Kind.INVALID);
    assertThat(Kind.THROTTLED.retryable()).isTrue();
    assertThat(Kind.ACCESS_DENIED.retryable()).isFalse();
  }

  @Test
  void messageNamesTheCallAndCodeButIsBounded() {
    AwsServiceException e = AwsServiceException.builder().statusCode(403)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage("x".repeat(2000)).build())
        .build();
    AwsCallException c = AwsErrors.classify("IAM CreateUser", e);
    assertThat(c.kind()).isEqualTo(Kind.ACCESS_DENIED);
    assertThat(c.getMessage()).startsWith("IAM CreateUser failed: AccessDenied (").hasSizeLessThan(400);
    assertThat(c.getCause()).isNull();
  }

  @Test
  void connectionFailuresAreTransient() {
    assertThat(AwsErrors.classify("DynamoDB PutItem", SdkClientException.create("Unable to execute HTTP request"))
        .kind()).isEqualTo(Kind.TRANSIENT);
  }
}
