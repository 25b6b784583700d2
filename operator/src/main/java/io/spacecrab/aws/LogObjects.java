package io.spacecrab.aws;

import java.io.InputStream;

/** Read access to the CloudTrail log bucket. */
public interface LogObjects {

  /** Opens the object for streaming; the caller closes it. NOT_FOUND when it does not exist. */
  InputStream open(String bucket, String key);
}
