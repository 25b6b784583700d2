package io.spacecrab.aws;

import java.time.Instant;

/** One object of the log bucket as a listing shows it: key, ETag (quotes removed) and last write. */
public record LogObject(String key, String etag, Instant lastModified) {

  /** The ETag without the quotes S3 puts around it, so that listings and GetObject agree. */
  public static String bare(String etag) {
    if (etag == null) {
      return "";
    }
    return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1)
        : etag;
  }
}
