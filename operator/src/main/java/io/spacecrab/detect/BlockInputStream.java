package io.spacecrab.detect;

import java.io.IOException;
import java.io.InputStream;

/** An input stream that reads in blocks: its one-byte {@link #read()} is a block read of one. */
abstract class BlockInputStream extends InputStream {
  private final byte[] one = new byte[1];

  @Override
  public final int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public abstract int read(byte[] b, int off, int len) throws IOException;
}
