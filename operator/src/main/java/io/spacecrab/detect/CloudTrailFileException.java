package io.spacecrab.detect;

/**
 * A CloudTrail file that cannot be read to its end. Records before the damage have already been
 * delivered; the message names the damage and where, never the file's content.
 */
public final class CloudTrailFileException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the file. */
  public enum Reason {
    /** Not gzip data at all (wrong magic, empty object). */
    NOT_GZIP,
    /** gzip data that fails to inflate or to pass its CRC. */
    CORRUPT_GZIP,
    /** The gzip stream or the JSON document ends early (also a cut-off download). */
    TRUNCATED,
    /** Not valid JSON. */
    MALFORMED_JSON,
    /** Valid JSON of the wrong shape: root not an object, {@code Records} not an array. */
    WRONG_TYPE,
    /** A JSON object without {@code Records}, such as a CloudTrail digest file. */
    NOT_A_LOG_FILE,
    /** Over the decompressed-size bound, or a string read over the string bound. */
    TOO_LARGE,
    /** Over the record-count bound. */
    TOO_MANY_RECORDS
  }

  private final Reason reason;
  private final transient CloudTrailFileSummary summary;

  CloudTrailFileException(
      Reason reason, String message, CloudTrailFileSummary summary, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = reason;
    this.summary = summary;
  }

  /** What is wrong with the file. */
  public Reason reason() {
    return reason;
  }

  /** What was read and delivered before the damage. */
  public CloudTrailFileSummary summary() {
    return summary;
  }
}
