package io.spacecrab.aws;

import io.spacecrab.aws.AwsCallException.Kind;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/** The one place that turns AWS SDK exceptions into {@link AwsCallException}s. */
final class AwsErrors {
  private static final Set<String> THROTTLING = Set.of("Throttling", "ThrottlingException",
      "RequestLimitExceeded", "TooManyRequestsException", "ProvisionedThroughputExceededException",
      "RequestThrottled", "RequestThrottledException", "SlowDown");
  private static final Set<String> TRANSIENT = Set.of("ServiceFailure", "ServiceUnavailable",
      "InternalFailure", "InternalError", "InternalServerError", "ConcurrentModification",
      "EntityTemporarilyUnmodifiable", "TransactionConflictException");
  private static final Set<String> DENIED = Set.of("AccessDenied", "AccessDeniedException",
      "UnauthorizedOperation", "InvalidClientTokenId", "SignatureDoesNotMatch", "ExpiredToken",
      "ExpiredTokenException", "UnrecognizedClientException", "MissingAuthenticationToken");
  private static final int MAX_MESSAGE = 300;

  private AwsErrors() {}

  /** Runs an SDK call, translating any SDK failure. */
  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (SdkException e) {
      throw classify(operation, e);
    }
  }

  static void run(String operation, Runnable call) {
    call(operation, () -> {
      call.run();
      return null;
    });
  }

  static AwsCallException classify(String operation, SdkException e) {
    if (e instanceof AwsServiceException se) {
      String code = se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorCode();
      String text = se.awsErrorDetails() == null ? null : se.awsErrorDetails().errorMessage();
      int status = se.statusCode();
      Kind kind = kindOf(code, status, se.isThrottlingException());
      String message = operation + " failed: " + (code == null ? "HTTP " + status : code)
          + (text == null ? "" : " (" + shorten(text) + ")");
      return new AwsCallException(kind, code, message, null);
    }
    if (e instanceof SdkClientException) {
      return new AwsCallException(Kind.TRANSIENT, null,
          operation + " failed: " + shorten(String.valueOf(e.getMessage())), null);
    }
    return new AwsCallException(Kind.TRANSIENT, null, operation + " failed: " + e.getClass().getSimpleName(), null);
  }

  static Kind kindOf(String code, int status, boolean throttling) {
    if (throttling || (code != null && THROTTLING.contains(code)) || status == 429) {
      return Kind.THROTTLED;
    }
    if (code != null) {
      if (TRANSIENT.contains(code)) {
        return Kind.TRANSIENT;
      }
      if (DENIED.contains(code)) {
        return Kind.ACCESS_DENIED;
      }
      switch (code) {
        case "NoSuchEntity":
          return Kind.NOT_FOUND;
        case "EntityAlreadyExists":
          return Kind.ALREADY_EXISTS;
        case "LimitExceeded":
        case "LimitExceededException":
          return Kind.QUOTA;
        case "ConditionalCheckFailedException":
          return Kind.CONFLICT;
        default:
          break;
      }
    }
    if (status >= 500 || status == 0) {
      return Kind.TRANSIENT;
    }
    if (status == 403) {
      return Kind.ACCESS_DENIED;
    }
    return Kind.INVALID;
  }

  private static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ");
    return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE) + "…";
  }
}
