package io.spacecrab.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.aws.AwsCallException.Kind;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
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
  void sesAnswersAreRetriedOrNotAsSesMeansThem() {
    // SES throttles with HTTP 400 and code Throttling (sending rate, and the daily quota until it rolls over)
    assertThat(AwsErrors.classify("SES SendEmail", ses(400, "Throttling", "Maximum sending rate exceeded.")).kind())
        .isEqualTo(Kind.THROTTLED);
    assertThat(AwsErrors.classify("SES SendEmail", ses(503, "ServiceUnavailable", "Service Unavailable")).kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.classify("SES SendEmail", ses(500, "InternalFailure", "oops")).kind())
        .isEqualTo(Kind.TRANSIENT);
    // the sender is not verified, or the address is blocked: repeating the call will not help
    AwsCallException rejected = AwsErrors.classify("SES SendEmail",
        ses(400, "MessageRejected", "Email address is not verified."));
    assertThat(rejected.kind()).isEqualTo(Kind.INVALID);
    assertThat(rejected.retryable()).isFalse();
    assertThat(AwsErrors.classify("SES SendEmail", ses(400, "MailFromDomainNotVerifiedException", "x")).retryable())
        .isFalse();
    // a redirect (no AWS error code) is not followed and not retried
    assertThat(AwsErrors.classify("SES SendEmail", AwsServiceException.builder().statusCode(302).build()).kind())
        .isEqualTo(Kind.INVALID);
  }

  @Test
  void timeoutsAndBrokenConnectionsAreTransient() {
    assertThat(AwsErrors.classify("SES SendEmail", ApiCallAttemptTimeoutException.create(2000)).kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.classify("SES SendEmail", ApiCallTimeoutException.create(2000)).kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.classify("SES SendEmail", SdkClientException.builder()
        .message("Unable to execute HTTP request: Read timed out")
        .cause(new java.net.SocketTimeoutException("Read timed out")).build()).kind())
        .isEqualTo(Kind.TRANSIENT);
    assertThat(AwsErrors.classify("SES SendEmail", SdkClientException.builder()
        .message("Unable to execute HTTP request: Connection reset")
        .cause(new java.io.IOException("Connection reset")).build()).kind())
        .isEqualTo(Kind.TRANSIENT);
  }

  static AwsServiceException ses(int status, String code, String message) {
    return AwsServiceException.builder().statusCode(status)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Ses").build())
        .build();
  }

  @Test
  void connectionFailuresAreTransient() {
    assertThat(AwsErrors.classify("DynamoDB PutItem", SdkClientException.create("Unable to execute HTTP request"))
        .kind()).isEqualTo(Kind.TRANSIENT);
  }
}
