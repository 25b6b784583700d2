package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;

/**
 * {@link GzipStream} against {@link GZIPInputStream} on the same bytes: the same output or the
 * same kind of failure, for whole, concatenated, truncated, corrupted and header-flagged data,
 * with one {@code GzipStream} reused across all of them (as a poller thread does).
 */
class GzipStreamTest {
  private final GzipStream reused = new GzipStream();
  private final Random rnd = new Random(7);

  @Test
  void decompressesWhatGzipInputStreamDecompresses() throws IOException {
    for (int size : new int[] {0, 1, 100, 16 * 1024 - 3, 16 * 1024, 200_000}) {
      byte[] raw = text(size);
      byte[] gz = gzip(raw);
      assertThat(readAll(reused.reset(new ByteArrayInputStream(gz)), 8192)).isEqualTo(raw);
      // one byte at a time, and through a source that gives one byte per read
      assertThat(readAll(reused.reset(new ByteArrayInputStream(gz)), 1)).isEqualTo(raw);
      assertThat(readAll(reused.reset(new Trickle(gz)), 4096)).isEqualTo(raw);
    }
  }

  @Test
  void readsConcatenatedMembersAndIgnoresTrailingBytesThatAreNotAMember() throws IOException {
    byte[] a = text(5000);
    byte[] b = text(7000);
    byte[] both = concat(gzip(a), gzip(b));
    assertThat(readAll(reused.reset(new ByteArrayInputStream(both)), 4096))
        .isEqualTo(concat(a, b))
        .isEqualTo(jdk(both));
    for (byte[] tail : new byte[][] {{0}, {0x1f}, {0x1f, (byte) 0x8b}, text(40)}) {
      byte[] withTail = concat(gzip(a), tail);
      assertThat(readAll(reused.reset(new ByteArrayInputStream(withTail)), 4096))
          .isEqualTo(a)
          .isEqualTo(jdk(withTail));
    }
  }

  @Test
  void readsEveryOptionalHeaderField() throws IOException {
    byte[] raw = text(3000);
    byte[] plain = gzip(raw);
    byte[] deflateAndTrailer = Arrays.copyOfRange(plain, 10, plain.length);
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.write(new byte[] {0x1f, (byte) 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3});
    header.write(new byte[] {3, 0, 'x', 'y', 'z'}); // FEXTRA
    header.write("name.json\0".getBytes(StandardCharsets.US_ASCII)); // FNAME
    header.write("a comment\0".getBytes(StandardCharsets.US_ASCII)); // FCOMMENT
    CRC32 crc = new CRC32();
    crc.update(header.toByteArray());
    int crc16 = (int) crc.getValue() & 0xffff;
    byte[] good = concat(header.toByteArray(), new byte[] {(byte) crc16, (byte) (crc16 >>> 8)}, deflateAndTrailer);
    assertThat(readAll(reused.reset(new ByteArrayInputStream(good)), 512)).isEqualTo(raw).isEqualTo(jdk(good));

    byte[] badHeaderCrc = good.clone();
    badHeaderCrc[header.size()] ^= 1;
    assertSameOutcome(badHeaderCrc);
    assertThatThrownBy(() -> readAll(reused.reset(new ByteArrayInputStream(badHeaderCrc)), 512))
        .isInstanceOf(ZipException.class);
  }

  @Test
  void failsLikeGzipInputStreamAtEveryTruncation() throws IOException {
    byte[] gz = gzip(text(20_000));
    for (int cut = 0; cut < gz.length; cut += cut < 40 || cut > gz.length - 40 ? 1 : 97) {
      byte[] truncated = Arrays.copyOf(gz, cut);
      Outcome mine = assertSameOutcome(truncated);
      assertThat(mine.failure).as("cut at %d", cut).isEqualTo(EOFException.class);
    }
  }

  @Test
  void failsLikeGzipInputStreamOnCorruptedBytes() throws IOException {
    byte[] gz = gzip(text(30_000));
    int failures = 0;
    for (int i = 0; i < 400; i++) {
      byte[] bad = gz.clone();
      int at = rnd.nextInt(bad.length);
      bad[at] ^= (byte) (1 + rnd.nextInt(255));
      if (assertSameOutcome(bad).failure != null) {
        failures++;
      }
    }
    assertThat(failures).as("most flips are caught by the inflater or the CRC").isGreaterThan(300);
  }

  @Test
  void rejectsWhatIsNotGzip() {
    assertThatThrownBy(() -> reused.reset(new ByteArrayInputStream(new byte[0])))
        .isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> reused.reset(new ByteArrayInputStream("{\"Records\":[]}".getBytes(StandardCharsets.UTF_8))))
        .isInstanceOf(ZipException.class);
    assertThatThrownBy(() -> reused.reset(new ByteArrayInputStream(new byte[] {0x1f, (byte) 0x8b, 9, 0, 0, 0, 0, 0, 0, 0})))
        .isInstanceOf(ZipException.class)
        .hasMessageContaining("compression method");
  }

  @Test
  void aFailedStreamLeavesNothingBehindForTheNext() throws IOException {
    byte[] raw = text(50_000);
    byte[] gz = gzip(raw);
    GzipStream s = reused.reset(new ByteArrayInputStream(Arrays.copyOf(gz, gz.length / 2)));
    assertThatThrownBy(() -> readAll(s, 1000)).isInstanceOf(EOFException.class);
    assertThat(readAll(reused.reset(new ByteArrayInputStream(gz)), 1000)).isEqualTo(raw);
  }

  @Test
  void closeClosesTheSourceAndLaterReadsFail() throws IOException {
    boolean[] closed = {false};
    InputStream source =
        new ByteArrayInputStream(gzip(text(100_000))) {
          @Override
          public void close() {
            closed[0] = true;
          }
        };
    GzipStream s = reused.reset(source);
    assertThat(s.read()).isNotNegative();
    s.close();
    assertThat(closed[0]).isTrue();
    assertThat(s.read(new byte[10], 0, 10)).isEqualTo(-1);
  }

  private record Outcome(byte[] bytes, Class<?> failure) {}

  /** Reads with both streams and asserts the same bytes, or the same kind of failure. */
  private Outcome assertSameOutcome(byte[] data) {
    Outcome theirs = outcome(() -> new GZIPInputStream(new ByteArrayInputStream(data), 8192));
    Outcome mine = outcome(() -> reused.reset(new ByteArrayInputStream(data)));
    assertThat(mine.failure).as("failure").isEqualTo(theirs.failure);
    if (theirs.failure == null) {
      assertThat(mine.bytes).isEqualTo(theirs.bytes);
    }
    return mine;
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  private static Outcome outcome(Opener opener) {
    try {
      return new Outcome(readAll(opener.open(), 4096), null);
    } catch (IOException e) {
      return new Outcome(null, e.getClass());
    }
  }

  private static byte[] jdk(byte[] gz) throws IOException {
    return readAll(new GZIPInputStream(new ByteArrayInputStream(gz)), 4096);
  }

  private static byte[] readAll(InputStream in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[chunk];
    int n;
    while ((n = in.read(buf, 0, chunk)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private byte[] text(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) (rnd.nextInt(8) == 0 ? rnd.nextInt(256) : "{\"abc\":123,}"
          .charAt(rnd.nextInt(12)));
    }
    return b;
  }

  private static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** A source that hands out one byte per read. */
  private static final class Trickle extends ByteArrayInputStream {
    Trickle(byte[] b) {
      super(b);
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      return super.read(b, off, Math.min(len, 1));
    }
  }
}
