package io.spacecrab.aws;

/**
 * An AWS call that failed, classified once. The message names the service, the operation and
 * the AWS error code; it never carries key material.
 */
public class AwsCallException extends RuntimeException {

  /** What the caller should do about it. */
  public enum Kind {
    /** Throttled by AWS: back off and retry. */
    THROTTLED(true),
    /** 5xx, timeouts, connection errors, eventual consistency: retry. */
    TRANSIENT(true),
    /** The entity does not exist. */
    NOT_FOUND(false),
    /** The entity exists already. */
    ALREADY_EXISTS(false),
    /** An account quota (users, keys per user) is exhausted. */
    QUOTA(false),
    /** Our own credentials may not do this. */
    ACCESS_DENIED(false),
    /** A conditional write lost against another writer. */
    CONFLICT(true),
    /** The request is wrong or the AWS side is misconfigured (missing table, bad ARN). */
    INVALID(false);

    private final boolean retryable;

    Kind(boolean retryable) {
      this.retryable = retryable;
    }

    public boolean retryable() {
      return retryable;
    }
  }

  private final Kind kind;
  private final String errorCode;

  public AwsCallException(Kind kind, String errorCode, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.errorCode = errorCode;
  }

  public Kind kind() {
    return kind;
  }

  public String errorCode() {
    return errorCode;
  }

  public boolean retryable() {
    return kind.retryable();
  }
}
