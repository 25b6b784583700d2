package io.spacecrab.aws;

import java.util.List;
import java.util.function.Consumer;

/** Read access to the CloudTrail log bucket. Every failure is an {@link AwsCallException}. */
public interface LogObjects {

  /** Opens the object for streaming; the caller closes it. NOT_FOUND when it does not exist. */
  LogFile open(String bucket, String key);

  /**
   * The folders directly under {@code prefix} (S3 common prefixes with delimiter {@code /}), each
   * ending in {@code /}; at most {@code max} of them, in key order.
   */
  List<String> folders(String bucket, String prefix, int max);

  /**
   * Hands every object under {@code prefix} whose key sorts after {@code startAfter} (null: all) to
   * {@code each}, in key order, page by page (S3 ListObjectsV2 with StartAfter); stops after
   * {@code max} objects. Returns how many it handed over.
   */
  int list(String bucket, String prefix, String startAfter, int max, Consumer<LogObject> each);
}
