package io.spacecrab.detect;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import io.spacecrab.detect.CloudTrailFileException.Reason;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.ZipException;

/**
 * Streams gzip CloudTrail log files ({@code {"Records":[…]}}) record by record with bounded
 * memory, never holding the file or a tree of it; thread-safe and reusable.
 *
 * <p>When the filter is a {@link TokenMatcher}, a {@link RecordPrefilter} first reduces every
 * record none of whose string values can be a token's identity to {@code {}}, so only the records
 * that may match are tokenised. Each record's fields are copied into reused buffers. As soon as its {@code userIdentity} has
 * been read, the {@link RecordFilter} decides; a rejected record's remaining fields are skipped
 * without decoding and nothing is allocated for it. Accepted records are materialised as a
 * {@link CloudTrailRecord} and passed to the sink, in file order.
 */
public final class CloudTrailParser {
  private static final char[] TRUE = {'t', 'r', 'u', 'e'};
  private static final char[] FALSE = {'f', 'a', 'l', 's', 'e'};

  private final CloudTrailLimits limits;
  private final JsonFactory json;
  /** What each parsing thread reuses from file to file: nothing is allocated per file for it. */
  private final ThreadLocal<Reusables[]> reusables = ThreadLocal.withInitial(() -> new Reusables[1]);

  /** A parser with {@link CloudTrailLimits#DEFAULTS}. */
  public CloudTrailParser() {
    this(CloudTrailLimits.DEFAULTS);
  }

  /** A parser with these limits. */
  public CloudTrailParser(CloudTrailLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.json =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxStringLength(limits.maxStringChars()).build())
            .errorReportConfiguration(
                ErrorReportConfiguration.builder()
                    .maxErrorTokenLength(0)
                    .maxRawContentLength(0)
                    .build())
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();
  }

  /** This thread's reusables, or new ones if they are in use (a sink that parses a file itself). */
  private Reusables borrow() {
    Reusables[] slot = reusables.get();
    Reusables r = slot[0];
    slot[0] = null;
    return r != null ? r : new Reusables(limits.maxFieldChars());
  }

  private void giveBack(Reusables r) {
    r.gzip.release();
    r.prefilter.release();
    reusables.get()[0] = r;
  }

  /** A thread's gzip reader, prefilter and field buffers. */
  private static final class Reusables {
    final GzipStream gzip = new GzipStream();
    final RecordPrefilter prefilter;
    final RecordFields fields;

    Reusables(int maxFieldChars) {
      prefilter = new RecordPrefilter(maxFieldChars);
      fields = new RecordFields(maxFieldChars);
    }
  }

  /** The limits this parser enforces. */
  public CloudTrailLimits limits() {
    return limits;
  }

  /**
   * Reads a gzip CloudTrail log file to its end and closes the stream, passing each record the
   * filter accepts to the sink.
   *
   * @throws CloudTrailFileException the file is damaged, of the wrong shape or over a limit;
   *     records before the damage have been delivered
   * @throws IOException reading the stream itself failed (the source's own exception, unchanged)
   */
  public CloudTrailFileSummary parse(
      InputStream gzip, RecordFilter filter, Consumer<? super CloudTrailRecord> sink)
      throws IOException, CloudTrailFileException {
    Objects.requireNonNull(gzip, "gzip");
    Reusables r = borrow();
    try {
      return new Run(filter, sink, r.fields).readLogFile(gzip, r);
    } finally {
      giveBack(r);
    }
  }

  /**
   * Reads one uncompressed CloudTrail event: an EventBridge "AWS API Call via CloudTrail" event
   * (the record is its {@code detail}) or a bare CloudTrail record. Empty when the JSON object
   * is neither.
   *
   * @throws CloudTrailFileException the JSON is malformed, not an object, or over a limit
   */
  public Optional<CloudTrailRecord> parseEvent(byte[] event) throws CloudTrailFileException {
    Objects.requireNonNull(event, "event");
    try {
      return new Run(RecordFilter.ALL, r -> {}, new RecordFields(limits.maxFieldChars()))
          .readEvent(event);
    } catch (IOException e) {
      throw new IllegalStateException("reading a byte array cannot fail", e);
    }
  }

  /** One read of one file: its parser, buffers and counters. */
  private final class Run {
    private final RecordFilter filter;
    private final Consumer<? super CloudTrailRecord> sink;
    private final RecordFields fields;
    private SourceStream source;
    private CappedStream capped;
    private boolean inflating;
    private JsonParser p;
    private int records;
    private int delivered;
    private int skippedElements;
    private int wrongTypeFields;
    private int truncatedFields;

    Run(RecordFilter filter, Consumer<? super CloudTrailRecord> sink, RecordFields fields) {
      this.filter = Objects.requireNonNull(filter, "filter");
      this.sink = Objects.requireNonNull(sink, "sink");
      this.fields = fields;
    }

    CloudTrailFileSummary readLogFile(InputStream gzip, Reusables reusables)
        throws IOException, CloudTrailFileException {
      source = new SourceStream(gzip);
      InputStream in = source;
      try {
        in = reusables.gzip.reset(source);
        inflating = true;
        capped = new CappedStream(in, limits.maxDecompressedBytes());
        in = capped;
        if (filter instanceof TokenMatcher matcher) {
          in = reusables.prefilter.reset(capped, matcher);
        }
        p = json.createParser(in);
        readLogRoot();
        return summary();
      } catch (IOException | RuntimeException e) {
        throw translate(e);
      } finally {
        closeQuietly(p != null ? p : in);
      }
    }

    Optional<CloudTrailRecord> readEvent(byte[] event) throws IOException, CloudTrailFileException {
      try (JsonParser parser = json.createParser(event)) {
        p = parser;
        JsonToken t = p.nextToken();
        expectRootObject(t);
        RecordFields detail = null;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          t = p.nextToken();
          if ("detail".equals(name) && t == JsonToken.START_OBJECT) {
            detail = new RecordFields(limits.maxFieldChars());
            readFieldsInto(detail);
          } else {
            readField(name, t, fields);
          }
        }
        expectEndObject(t);
        RecordFields chosen = detail != null ? detail : fields.hasAny() ? fields : null;
        return chosen == null ? Optional.empty() : Optional.of(chosen.toRecord());
      } catch (IOException | RuntimeException e) {
        throw translate(e);
      }
    }

    private void readLogRoot() throws IOException, CloudTrailFileException {
      JsonToken t = p.nextToken();
      expectRootObject(t);
      boolean sawRecords = false;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if ("Records".equals(name)) {
          if (t != JsonToken.START_ARRAY) {
            throw fail(Reason.WRONG_TYPE, "\"Records\" is " + describe(t) + ", not an array", null);
          }
          sawRecords = true;
          readRecords();
        } else {
          p.skipChildren();
        }
      }
      expectEndObject(t);
      // reading on to the end makes the gzip reader check the CRC and length trailer
      if (p.nextToken() != null) {
        throw fail(Reason.MALFORMED_JSON, "content follows the JSON document", null);
      }
      if (!sawRecords) {
        throw fail(
            Reason.NOT_A_LOG_FILE,
            "the document has no \"Records\" array (a digest file is not a log file)",
            null);
      }
    }

    private void readRecords() throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == JsonToken.START_OBJECT) {
          if (records == limits.maxRecords()) {
            throw fail(
                Reason.TOO_MANY_RECORDS,
                "the file holds more than " + limits.maxRecords() + " records",
                null);
          }
          records++;
          readRecord();
        } else if (t == null) {
          throw fail(Reason.TRUNCATED, "the JSON document ends inside \"Records\"", null);
        } else {
          skippedElements++;
          p.skipChildren();
        }
      }
    }

    private void readRecord() throws IOException, CloudTrailFileException {
      RecordFields f = fields;
      f.clear();
      boolean accepted = false;
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        boolean wasIdentity = readField(name, t, f);
        if (wasIdentity && !accepted) {
          if (!f.mightMatch(filter)) {
            skipRestOfObject();
            return;
          }
          accepted = true;
        }
      }
      expectEndObject(t);
      if (accepted || f.mightMatch(filter)) {
        deliver(f.toRecord());
      }
    }

    private void readFieldsInto(RecordFields f) throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        readField(name, p.nextToken(), f);
      }
      expectEndObject(t);
    }

    /** Reads one record-level field whose value token is current; true if it was userIdentity. */
    private boolean readField(String name, JsonToken t, RecordFields f)
        throws IOException, CloudTrailFileException {
      switch (name) {
        case "userIdentity" -> {
          if (t == JsonToken.START_OBJECT) {
            readIdentity(f);
          } else {
            wrongType(t);
          }
          return true;
        }
        case "eventID" -> text(t, f.eventId);
        case "eventTime" -> text(t, f.eventTime);
        case "eventSource" -> text(t, f.eventSource);
        case "eventName" -> text(t, f.eventName);
        case "awsRegion" -> text(t, f.awsRegion);
        case "sourceIPAddress" -> text(t, f.sourceIpAddress);
        case "userAgent" -> text(t, f.userAgent);
        case "errorCode" -> text(t, f.errorCode);
        case "readOnly" -> flag(t, f.readOnly);
        case "eventType" -> text(t, f.eventType);
        case "sessionCredentialFromConsole" -> flag(t, f.fromConsole);
        case "responseElements" -> {
          if (t == JsonToken.START_OBJECT) {
            readResponseElements(f);
          } else {
            wrongType(t);
          }
        }
        default -> p.skipChildren();
      }
      return false;
    }

    private void readIdentity(RecordFields f) throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        switch (name) {
          case "type" -> text(t, f.identityType);
          case "principalId" -> text(t, f.principalId);
          case "arn" -> text(t, f.arn);
          case "accountId" -> text(t, f.accountId);
          case "accessKeyId" -> text(t, f.accessKeyId);
          case "userName" -> text(t, f.userName);
          case "invokedBy" -> text(t, f.invokedBy);
          case "sessionContext" -> {
            if (t == JsonToken.START_OBJECT) {
              readSessionContext(f);
            } else {
              wrongType(t);
            }
          }
          default -> p.skipChildren();
        }
      }
      expectEndObject(t);
    }

    /** {@code userIdentity.sessionContext}: only {@code attributes} is read. */
    private void readSessionContext(RecordFields f) throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if (!"attributes".equals(name)) {
          p.skipChildren();
        } else if (t != JsonToken.START_OBJECT) {
          wrongType(t);
        } else {
          JsonToken a;
          while ((a = p.nextToken()) == JsonToken.FIELD_NAME) {
            String attribute = p.currentName();
            a = p.nextToken();
            switch (attribute) {
              case "creationDate" -> text(a, f.sessionCreatedAt);
              case "mfaAuthenticated" -> flag(a, f.mfaAuthenticated);
              default -> p.skipChildren();
            }
          }
          expectEndObject(a);
        }
      }
      expectEndObject(t);
    }

    private void readResponseElements(RecordFields f) throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if (!"credentials".equals(name)) {
          p.skipChildren();
        } else if (t != JsonToken.START_OBJECT) {
          wrongType(t);
        } else {
          readCredentials(f);
        }
      }
      expectEndObject(t);
    }

    private void readCredentials(RecordFields f) throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        t = p.nextToken();
        if ("accessKeyId".equals(name)) {
          text(t, f.sessionAccessKeyId);
        } else {
          p.skipChildren();
        }
      }
      expectEndObject(t);
    }

    private void text(JsonToken t, FieldText into) throws IOException {
      if (t == JsonToken.VALUE_STRING) {
        if (into.set(p.getTextCharacters(), p.getTextOffset(), p.getTextLength())) {
          truncatedFields++;
        }
      } else {
        wrongType(t);
      }
    }

    /** A boolean CloudTrail writes either as JSON true/false or as the text "true"/"false". */
    private void flag(JsonToken t, FieldText into) throws IOException {
      if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
        char[] v = t == JsonToken.VALUE_TRUE ? TRUE : FALSE;
        into.set(v, 0, v.length);
      } else {
        text(t, into);
      }
    }

    private void wrongType(JsonToken t) throws IOException {
      if (t != JsonToken.VALUE_NULL) {
        wrongTypeFields++;
        p.skipChildren();
      }
    }

    private void skipRestOfObject() throws IOException, CloudTrailFileException {
      JsonToken t;
      while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (t == null) {
          throw fail(Reason.TRUNCATED, "the JSON document ends inside a record", null);
        }
      }
    }

    private void deliver(CloudTrailRecord record) {
      delivered++;
      try {
        sink.accept(record);
      } catch (RuntimeException e) {
        throw new SinkFailure(e);
      }
    }

    private void expectRootObject(JsonToken t) throws CloudTrailFileException {
      if (t == null) {
        throw fail(Reason.MALFORMED_JSON, "the file holds no JSON document", null);
      }
      if (t != JsonToken.START_OBJECT) {
        throw fail(Reason.WRONG_TYPE, "the document is " + describe(t) + ", not an object", null);
      }
    }

    private void expectEndObject(JsonToken t) throws CloudTrailFileException {
      if (t != JsonToken.END_OBJECT) {
        throw fail(Reason.TRUNCATED, "the JSON document ends inside an object", null);
      }
    }

    private CloudTrailFileException translate(Exception e) throws IOException {
      if (e instanceof SourceFailure s) {
        throw s.getCause();
      }
      if (e instanceof SinkFailure s) {
        throw s.getCause();
      }
      if (e instanceof TooLarge) {
        return fail(
            Reason.TOO_LARGE,
            "the file decompresses to more than " + limits.maxDecompressedBytes() + " bytes",
            null);
      }
      if (e instanceof JsonEOFException) {
        return fail(Reason.TRUNCATED, "the JSON document ends early", e);
      }
      if (e instanceof StreamConstraintsException) {
        return fail(Reason.TOO_LARGE, "a value exceeds a parser limit", e);
      }
      if (e instanceof JsonProcessingException || e instanceof IllegalStateException) {
        return fail(Reason.MALFORMED_JSON, "the file is not valid JSON", e);
      }
      if (e instanceof ZipException) {
        return inflating
            ? fail(Reason.CORRUPT_GZIP, "the gzip data is corrupt", e)
            : fail(Reason.NOT_GZIP, "the file is not gzip data", e);
      }
      if (e instanceof EOFException) {
        return !inflating && source != null && source.count == 0
            ? fail(Reason.NOT_GZIP, "the file is empty", null)
            : fail(Reason.TRUNCATED, "the gzip stream ends early", e);
      }
      if (e instanceof IOException) {
        return fail(Reason.MALFORMED_JSON, "the file cannot be decoded", e);
      }
      throw (RuntimeException) e;
    }

    private CloudTrailFileException fail(Reason reason, String what, Throwable cause) {
      CloudTrailFileSummary s = summary();
      String where =
          " (after "
              + s.decompressedBytes()
              + " decompressed bytes; records read: "
              + s.records()
              + ", delivered: "
              + s.delivered()
              + ")";
      return new CloudTrailFileException(reason, what + where, s, cause);
    }

    private CloudTrailFileSummary summary() {
      long decompressed = capped != null ? capped.count : 0;
      if (capped == null && p != null) {
        decompressed = Math.max(0, p.currentLocation().getByteOffset());
      }
      return new CloudTrailFileSummary(
          source != null ? source.count : 0,
          decompressed,
          records,
          delivered,
          skippedElements,
          wrongTypeFields,
          truncatedFields);
    }
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "missing";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NULL -> "null";
      default -> t.name();
    };
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      if (c != null) {
        c.close();
      }
    } catch (Exception ignored) {
      // the file has been read, or its failure is already being reported
    }
  }

  /** The caller's stream: counts gzip bytes and marks its own failures apart from the file's. */
  private static final class SourceStream extends FilterInputStream {
    long count;

    SourceStream(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        int b = in.read();
        if (b >= 0) {
          count++;
        }
        return b;
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = in.read(b, off, len);
        if (n > 0) {
          count += n;
        }
        return n;
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        long skipped = in.skip(n);
        count += Math.max(0, skipped);
        return skipped;
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }

    @Override
    public int available() throws IOException {
      try {
        return in.available();
      } catch (IOException e) {
        throw new SourceFailure(e);
      }
    }
  }

  /** The decompressed stream: counts bytes and stops at the bound. */
  private static final class CappedStream extends FilterInputStream {
    private final long max;
    long count;

    CappedStream(InputStream in, long max) {
      super(in);
      this.max = max;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0 && ++count > max) {
        throw new TooLarge();
      }
      return b;
    }

    /** Hands on every byte within the bound, then fails at the first read past it. */
    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (count > max) {
        throw new TooLarge();
      }
      int want = (int) Math.min(len, max - count + 1);
      int n = in.read(b, off, Math.max(1, want));
      if (n > 0) {
        count += n;
        if (count > max) {
          int within = n - (int) (count - max);
          if (within <= 0) {
            throw new TooLarge();
          }
          return within;
        }
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      byte[] buf = new byte[(int) Math.min(n, 4096)];
      long skipped = 0;
      while (skipped < n) {
        int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
        if (r < 0) {
          break;
        }
        skipped += r;
      }
      return skipped;
    }
  }

  private static final class SourceFailure extends IOException {
    private static final long serialVersionUID = 1L;

    SourceFailure(IOException cause) {
      super(cause);
    }

    @Override
    public synchronized IOException getCause() {
      return (IOException) super.getCause();
    }
  }

  private static final class SinkFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SinkFailure(RuntimeException cause) {
      super(cause);
    }

    @Override
    public synchronized RuntimeException getCause() {
      return (RuntimeException) super.getCause();
    }
  }

  private static final class TooLarge extends IOException {
    private static final long serialVersionUID = 1L;

    TooLarge() {
      super("decompressed size bound reached");
    }
  }
}
