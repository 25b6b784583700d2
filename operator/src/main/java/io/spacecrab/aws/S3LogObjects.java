package io.spacecrab.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** {@link LogObjects} on S3: GetObject, streamed, never buffered whole; ListObjectsV2 for listings. */
public class S3LogObjects implements LogObjects {
  private static final int PAGE = 1000;

  private final S3Client s3;

  public S3LogObjects(S3Client s3) {
    this.s3 = s3;
  }

  @Override
  public LogFile open(String bucket, String key) {
    return AwsErrors.call("S3 GetObject", () -> {
      try {
        var in = s3.getObject(r -> r.bucket(bucket).key(key));
        return new LogFile(in, LogObject.bare(in.response().eTag()), in.response().lastModified());
      } catch (NoSuchKeyException e) {
        throw new AwsCallException(AwsCallException.Kind.NOT_FOUND, "NoSuchKey", "S3 GetObject failed: NoSuchKey", null);
      }
    });
  }

  @Override
  public List<String> folders(String bucket, String prefix, int max) {
    List<String> folders = new ArrayList<>();
    String token = null;
    do {
      String next = token;
      ListObjectsV2Response page = AwsErrors.call("S3 ListObjectsV2", () -> s3.listObjectsV2(r -> r.bucket(bucket)
          .prefix(prefix).delimiter("/").maxKeys(PAGE).continuationToken(next)));
      for (CommonPrefix p : page.commonPrefixes()) {
        if (folders.size() >= max) {
          return folders;
        }
        folders.add(p.prefix());
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return folders;
  }

  @Override
  public int list(String bucket, String prefix, String startAfter, int max, Consumer<LogObject> each) {
    int handed = 0;
    String token = null;
    do {
      String next = token;
      ListObjectsV2Response page = AwsErrors.call("S3 ListObjectsV2", () -> s3.listObjectsV2(r -> r.bucket(bucket)
          .prefix(prefix).maxKeys(PAGE).continuationToken(next).startAfter(next == null ? startAfter : null)));
      for (S3Object o : page.contents()) {
        if (handed >= max) {
          return handed;
        }
        Instant modified = o.lastModified();
        each.accept(new LogObject(o.key(), LogObject.bare(o.eTag()), modified));
        handed++;
      }
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return handed;
  }
}
