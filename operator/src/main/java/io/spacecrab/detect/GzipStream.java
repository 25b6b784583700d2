package io.spacecrab.detect;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * Decompresses gzip data (RFC 1952) as {@link java.util.zip.GZIPInputStream} does, but keeps its
 * {@link Inflater}, input buffer and checksum from one file to the next, so a thread that reads
 * thousands of small log files allocates nothing per file here (a {@code GZIPInputStream} costs an
 * inflater with its native window and about 9 KB of buffers each time).
 *
 * <p>Same outcomes as the JDK stream: {@link ZipException} for a bad header, corrupt deflate data
 * or a trailer whose CRC or length does not match, {@link EOFException} when the data ends early;
 * concatenated members are read one after the other, and bytes after the last member that do not
 * start a gzip header are ignored. Not thread-safe; one thread reuses it via {@link #reset}.
 */
final class GzipStream extends BlockInputStream {
  private static final int INPUT_BUFFER = 16 * 1024;
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();
  private final CRC32 headerCrc = new CRC32();
  private final byte[] input = new byte[INPUT_BUFFER];
  private InputStream in;
  /** Input bytes not yet given to the inflater or the header/trailer reader are [pos, lim). */
  private int pos;
  private int lim;
  private boolean ended;

  /**
   * Starts on a new gzip stream: reads its header.
   *
   * @throws ZipException the data does not start with a gzip header
   * @throws EOFException the data ends inside the header (or is empty)
   */
  GzipStream reset(InputStream source) throws IOException {
    in = Objects.requireNonNull(source, "source");
    pos = lim = 0;
    ended = false;
    startMember();
    return this;
  }

  /** Lets go of the stream (the inflater and buffers are kept for the next one). */
  void release() {
    in = null;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    while (!ended) {
      int n;
      try {
        n = inflater.inflate(b, off, len);
      } catch (DataFormatException e) {
        throw new ZipException(e.getMessage() != null ? e.getMessage() : "invalid deflate data");
      }
      if (n > 0) {
        crc.update(b, off, n);
        return n;
      }
      if (inflater.finished()) {
        pos = lim - inflater.getRemaining();
        endMember();
      } else if (inflater.needsDictionary()) {
        throw new ZipException("the deflate data asks for a preset dictionary");
      } else if (inflater.needsInput()) {
        if (!fill()) {
          throw new EOFException("Unexpected end of ZLIB input stream");
        }
        inflater.setInput(input, pos, lim - pos);
        pos = lim;
      }
    }
    return -1;
  }

  @Override
  public int available() {
    return ended ? 0 : 1;
  }

  @Override
  public void close() throws IOException {
    InputStream source = in;
    in = null;
    ended = true;
    if (source != null) {
      source.close();
    }
  }

  /** Reads a member's header and readies the inflater for its deflate data. */
  private void startMember() throws IOException {
    inflater.reset();
    crc.reset();
    readHeader();
    inflater.setInput(input, pos, lim - pos);
    pos = lim;
  }

  /** Checks the trailer of the member just inflated; starts on the next member if one follows. */
  private void endMember() throws IOException {
    long expectedCrc = readUInt();
    long expectedSize = readUInt();
    if (expectedCrc != crc.getValue() || expectedSize != (inflater.getBytesWritten() & 0xffffffffL)) {
      throw new ZipException("Corrupt GZIP trailer");
    }
    if (pos == lim && !fill()) {
      ended = true;
      return;
    }
    int afterTrailer = pos;
    try {
      startMember();
    } catch (ZipException | EOFException notAMember) {
      // bytes after the last member that are not a gzip member: ignored, as GZIPInputStream does
      pos = afterTrailer;
      ended = true;
    }
  }

  private void readHeader() throws IOException {
    headerCrc.reset();
    if (readHeaderByte() != 0x1f || readHeaderByte() != 0x8b) {
      throw new ZipException("Not in GZIP format");
    }
    if (readHeaderByte() != 8) {
      throw new ZipException("Unsupported compression method");
    }
    int flags = readHeaderByte();
    for (int i = 0; i < 6; i++) { // MTIME, XFL, OS
      readHeaderByte();
    }
    if ((flags & FEXTRA) != 0) {
      int n = readHeaderByte() | readHeaderByte() << 8;
      for (int i = 0; i < n; i++) {
        readHeaderByte();
      }
    }
    if ((flags & FNAME) != 0) {
      while (readHeaderByte() != 0) {
        // the original file name, not used
      }
    }
    if ((flags & FCOMMENT) != 0) {
      while (readHeaderByte() != 0) {
        // the comment, not used
      }
    }
    if ((flags & FHCRC) != 0) {
      int expected = (int) headerCrc.getValue() & 0xffff;
      if ((readByte() | readByte() << 8) != expected) {
        throw new ZipException("Corrupt GZIP header");
      }
    }
  }

  private int readHeaderByte() throws IOException {
    int b = readByte();
    headerCrc.update(b);
    return b;
  }

  private long readUInt() throws IOException {
    long v = 0;
    for (int shift = 0; shift < 32; shift += 8) {
      v |= (long) readByte() << shift;
    }
    return v;
  }

  private int readByte() throws IOException {
    if (pos == lim && !fill()) {
      throw new EOFException("Unexpected end of gzip data");
    }
    return input[pos++] & 0xff;
  }

  /** Reads more input into an empty buffer; false at the end of the source. */
  private boolean fill() throws IOException {
    if (in == null) {
      throw new IOException("Stream closed");
    }
    int n = in.read(input, 0, input.length);
    while (n == 0) {
      n = in.read(input, 0, input.length);
    }
    pos = 0;
    lim = Math.max(0, n);
    return n > 0;
  }
}
