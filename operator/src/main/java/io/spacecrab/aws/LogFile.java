package io.spacecrab.aws;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;

/** A log file opened for streaming, with the ETag and last write of the version being read. */
public record LogFile(InputStream body, String etag, Instant lastModified) implements AutoCloseable {

  @Override
  public void close() throws IOException {
    body.close();
  }
}
