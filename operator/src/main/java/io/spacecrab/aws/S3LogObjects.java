package io.spacecrab.aws;

import java.io.InputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** {@link LogObjects} on S3: GetObject, streamed, never buffered whole. */
public class S3LogObjects implements LogObjects {
  private final S3Client s3;

  public S3LogObjects(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public InputStream open(String bucket, String key) {
    return AwsErrors.call("S3 GetObject", () -> {
      try {
        return s3.getObject(r -> r.bucket(bucket).key(key));
      } catch (NoSuchKeyException e) {
        throw new AwsCallException(AwsCallException.Kind.NOT_FOUND, "NoSuchKey", "S3 GetObject failed: NoSuchKey", null);
      }
    });
  }
}
