package io.spacecrab.detect;

import java.io.IOException;
import java.io.InputStream;

/**
 * The decompressed JSON of a log file with every record that cannot be ours reduced to
 * {@code {}}, so the parser tokenises only the few that may be. One pass over the raw bytes
 * tracks strings, escapes and brackets; each string value of a record is put to the matcher's
 * {@link ValueScreen}. A record is passed on whole, as it was, when a value may be ours or when
 * the bytes alone cannot decide: a {@code \\u} or {@code \\/} escape, an invalid escape or
 * control character, a string longer than {@link #LONG_STRING}, a byte no JSON token outside a
 * string holds, mismatched or too deeply nested brackets, a record longer than
 * {@link #MAX_HELD} bytes, or the end of the input inside the record. Everything outside the
 * records passes unchanged, so the parser still sees, counts and checks the document, and the
 * records that stay, exactly as before. Not thread-safe; reused by one thread file after file.
 */
final class RecordPrefilter extends BlockInputStream {
  /** Longest record held back while undecided; a longer one is passed on. */
  static final int MAX_HELD = 1 << 20;
  /** Longest string the screen decides on; a record with a longer one is passed on. */
  static final int LONG_STRING = 4096;

  private static final int INITIAL_BUFFER = 1 << 16;
  private static final java.lang.invoke.VarHandle LONGS =
      java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
          long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
  private static final int MAX_TRACKED_DEPTH = 64;

  // outside strings
  private static final byte PLAIN = 0;
  private static final byte QUOTE = 1;
  private static final byte OPEN_OBJECT = 2;
  private static final byte OPEN_ARRAY = 3;
  private static final byte CLOSE_OBJECT = 4;
  private static final byte CLOSE_ARRAY = 5;
  private static final byte COMMA = 6;
  private static final byte COLON = 7;
  private static final byte INVALID = 8;
  private static final byte[] OUTSIDE = new byte[256];
  // inside strings: non-zero stops the scan
  private static final byte[] INSIDE = new byte[256];

  static {
    java.util.Arrays.fill(OUTSIDE, INVALID);
    for (char c : " \t\r\n0123456789-+.eEtrufalsn".toCharArray()) {
      OUTSIDE[c] = PLAIN;
    }
    OUTSIDE['"'] = QUOTE;
    OUTSIDE['{'] = OPEN_OBJECT;
    OUTSIDE['['] = OPEN_ARRAY;
    OUTSIDE['}'] = CLOSE_OBJECT;
    OUTSIDE[']'] = CLOSE_ARRAY;
    OUTSIDE[','] = COMMA;
    OUTSIDE[':'] = COLON;
    for (int c = 0; c < 0x20; c++) {
      INSIDE[c] = 1;
    }
    INSIDE['"'] = 1;
    INSIDE['\\'] = 1;
  }

  /** Bytes pass as they are: outside records, or in a record that may be ours. */
  private static final int KEEP = 0;
  /** In a record not yet decided: its bytes are held back. */
  private static final int HOLD = 1;
  /** In a record that is passed on whole. */
  private static final int PASS = 2;

  private final int maxFieldChars;
  private InputStream in;
  private TokenMatcher matcher;
  private ValueScreen screen;
  private byte[] buf = new byte[INITIAL_BUFFER];
  /** Bytes read are [0, limit); scanned up to scan; output waits in [outStart, outEnd). */
  private int limit;
  private int scan;
  private int outStart;
  private int outEnd;
  /** Start of the kept bytes not yet moved to the output. */
  private int runStart;
  private int recordStart;
  private int stringStart;
  private int mode;
  private boolean eof;
  /** The scan stopped after a passed record with input left to scan. */
  private boolean resumable;
  private int depth;
  /** Bit d-1 set: the container at depth d (1..64) is an object. */
  private long objects;
  private boolean inString;
  private boolean stringIsKey;
  private boolean expectKey;
  private long dropped;

  RecordPrefilter(int maxFieldChars) {
    this.maxFieldChars = maxFieldChars;
  }

  /** Starts on a new file: reads {@code in}, screening with the matcher's current screen. */
  RecordPrefilter reset(InputStream in, TokenMatcher matcher) {
    this.in = in;
    this.matcher = matcher;
    screen = null;
    limit = scan = outStart = outEnd = runStart = recordStart = stringStart = 0;
    mode = KEEP;
    eof = resumable = false;
    depth = 0;
    objects = 0;
    inString = stringIsKey = expectKey = false;
    dropped = 0;
    return this;
  }

  /** Records reduced to {@code {}} so far in this file. */
  long dropped() {
    return dropped;
  }

  /** Lets go of the file's stream and matcher (the buffer is kept for the next file). */
  void release() {
    in = null;
    matcher = null;
    screen = null;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    while (outStart == outEnd) {
      if (resumable) {
        resumable = false;
      } else if (!fill()) {
        return -1;
      }
      scanAvailable();
    }
    int n = Math.min(len, outEnd - outStart);
    System.arraycopy(buf, outStart, b, off, n);
    outStart += n;
    return n;
  }

  @Override
  public int available() {
    return outEnd - outStart;
  }

  @Override
  public void close() throws IOException {
    if (in != null) {
      in.close();
    }
  }

  /**
   * Makes room and reads more input; at the end of the input hands on whatever is held (a record
   * cut off is passed as it is, for the parser to report). False when nothing is left.
   */
  private boolean fill() throws IOException {
    if (eof) {
      return false;
    }
    int keepFrom = mode == HOLD ? recordStart : scan;
    if (keepFrom > 0) {
      System.arraycopy(buf, keepFrom, buf, 0, limit - keepFrom);
      limit -= keepFrom;
      scan -= keepFrom;
      recordStart -= keepFrom;
      stringStart -= keepFrom;
      runStart = Math.max(0, runStart - keepFrom);
    }
    outStart = outEnd = 0;
    if (limit == buf.length) {
      if (buf.length < MAX_HELD) {
        buf = java.util.Arrays.copyOf(buf, Math.min(MAX_HELD, buf.length * 2));
      } else {
        pass();
        flushRun(scan);
        return true;
      }
    }
    int n = in.read(buf, limit, buf.length - limit);
    if (n < 0) {
      eof = true;
      if (mode == HOLD) {
        pass();
      }
      flushRun(limit);
      scan = limit;
      return outEnd > outStart;
    }
    limit += n;
    return true;
  }

  /** Scans [scan, limit) and moves what is decided to be kept to the output. */
  private void scanAvailable() {
    final byte[] b = buf;
    final int end = limit;
    int i = scan;
    loop:
    while (i < end) {
      if (inString) {
        // a string the previous input ended in
        int j = stringEnd(b, i, end);
        if (j < 0) {
          i = ~j;
          break;
        }
        inString = false;
        if (mode == HOLD) {
          checkString(b, j);
        }
        i = j + 1;
        continue;
      }
      byte kind = OUTSIDE[b[i] & 0xff];
      while (kind == QUOTE) {
        stringIsKey = expectKey;
        expectKey = false;
        stringStart = i + 1;
        int j = stringEnd(b, i + 1, end);
        if (j < 0) {
          inString = true;
          i = ~j;
          break loop;
        }
        if (mode == HOLD) {
          checkString(b, j);
        }
        i = j + 1;
        // the usual next string, as in "key":"value" or "value","key": its separator read here
        if (i + 1 < end && b[i + 1] == '"') {
          byte separator = b[i];
          if (separator == ':') {
            i++;
            continue;
          }
          if (separator == ',') {
            expectKey = inTrackedObject();
            i++;
            continue;
          }
        }
        continue loop;
      }
      switch (kind) {
        case PLAIN -> {}
        case OPEN_OBJECT -> open(i, true);
        case OPEN_ARRAY -> open(i, false);
        case CLOSE_OBJECT -> {
          if (close(i, true)) {
            // hand the passed record on before reading further: matching it may teach the
            // matcher a session key that the next records must be screened with
            i++;
            resumable = i < end;
            break loop;
          }
        }
        case CLOSE_ARRAY -> close(i, false);
        case COMMA -> expectKey = inTrackedObject();
        case COLON -> expectKey = false;
        default -> {
          if (mode == HOLD) {
            pass();
          }
        }
      }
      i++;
    }
    scan = i;
    if (mode != HOLD) {
      flushRun(i);
    }
  }

  /**
   * The index of the quote closing the string whose content goes on at {@code from}, or, when
   * the string does not end before {@code end}, the complement ({@code ~}) of the index to resume
   * at: {@code end}, or a backslash whose escaped character is not read yet. Passes the record
   * held on an escape or character the screen cannot decide on.
   */
  private int stringEnd(byte[] b, int from, int end) {
    int j = from;
    while (true) {
      j = stringStop(b, j, end);
      if (j == end) {
        return ~end;
      }
      byte c = b[j];
      if (c == '"') {
        return j;
      }
      if (c == '\\') {
        if (j + 1 == end) {
          return ~j;
        }
        if (mode == HOLD && !isPlainEscape(b[j + 1])) {
          pass();
        }
        j += 2;
      } else {
        if (mode == HOLD) {
          pass(); // a control character: not valid JSON, the parser reports it
        }
        j++;
      }
    }
  }

  /**
   * The first index from {@code from} of a quote, a backslash or a control character, or
   * {@code end}: eight bytes at a time (a zero byte of {@code x} sets bit 7 of that byte of
   * {@code (x - 0x01…) & ~x}; below the first such byte no bit is set).
   */
  private static int stringStop(byte[] b, int from, int end) {
    int j = from;
    while (j + 8 <= end) {
      long w = (long) LONGS.get(b, j);
      long quote = w ^ 0x2222222222222222L;
      long backslash = w ^ 0x5C5C5C5C5C5C5C5CL;
      long hits =
          ((quote - 0x0101010101010101L) & ~quote)
              | ((backslash - 0x0101010101010101L) & ~backslash)
              | ((w - 0x2020202020202020L) & ~w);
      hits &= 0x8080808080808080L;
      if (hits != 0) {
        return j + (Long.numberOfTrailingZeros(hits) >>> 3);
      }
      j += 8;
    }
    while (j < end && INSIDE[b[j] & 0xff] == 0) {
      j++;
    }
    return j;
  }

  private void checkString(byte[] b, int closingQuote) {
    int length = closingQuote - stringStart;
    if (length > LONG_STRING) {
      pass();
    } else if (!stringIsKey
        && screen.mightBeOurs(b, stringStart, Math.min(length, maxFieldChars))) {
      pass();
    }
  }

  private void open(int at, boolean object) {
    depth++;
    if (depth <= MAX_TRACKED_DEPTH) {
      objects = object ? objects | 1L << (depth - 1) : objects & ~(1L << (depth - 1));
    } else if (mode == HOLD) {
      pass();
    }
    expectKey = object;
    if (object && depth == 3 && mode == KEEP && (objects & 0b11) == 0b01) {
      // an object in an array that is a value of the root object: a record
      flushRun(at);
      recordStart = at;
      screen = matcher.screen();
      mode = screen == null ? PASS : HOLD;
    }
  }

  /** True when this ends a record that is passed on. */
  private boolean close(int at, boolean object) {
    if (depth >= 1 && depth <= MAX_TRACKED_DEPTH && isObject(depth) != object && mode == HOLD) {
      pass();
    }
    boolean passedRecordEnds = false;
    if (depth == 3 && mode != KEEP) {
      if (mode == HOLD) {
        // the record cannot be ours: the parser sees {} in its place
        buf[outEnd++] = '{';
        buf[outEnd++] = '}';
        dropped++;
        runStart = at + 1;
      } else {
        passedRecordEnds = true;
      }
      mode = KEEP;
    }
    depth--;
    expectKey = false;
    return passedRecordEnds;
  }

  /** True when the innermost open container is an object whose kind is tracked: a key comes after its commas. */
  private boolean inTrackedObject() {
    return depth >= 1 && depth <= MAX_TRACKED_DEPTH && isObject(depth);
  }

  private boolean isObject(int d) {
    return (objects & 1L << (d - 1)) != 0;
  }

  /** The record held back may be ours, or cannot be decided: it is passed on whole. */
  private void pass() {
    mode = PASS;
    runStart = recordStart;
  }

  private void flushRun(int to) {
    int n = to - runStart;
    if (n > 0) {
      System.arraycopy(buf, runStart, buf, outEnd, n);
      outEnd += n;
    }
    runStart = to;
  }

  /** An escape that decodes to a character no identity value holds ({@code \\u} and {@code \\/} may). */
  private static boolean isPlainEscape(byte e) {
    return e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't';
  }
}
