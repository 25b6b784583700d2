package io.spacecrab.detect;

import static io.spacecrab.detect.CloudTrailFixtures.ASSUMED_ROLE;
import static io.spacecrab.detect.CloudTrailFixtures.AWS_INTERNAL;
import static io.spacecrab.detect.CloudTrailFixtures.AWS_SERVICE;
import static io.spacecrab.detect.CloudTrailFixtures.DIGEST;
import static io.spacecrab.detect.CloudTrailFixtures.EVENTBRIDGE_EVENT;
import static io.spacecrab.detect.CloudTrailFixtures.GET_SESSION_TOKEN;
import static io.spacecrab.detect.CloudTrailFixtures.HEALTH_CONSOLE_SESSION;
import static io.spacecrab.detect.CloudTrailFixtures.IAM_USER;
import static io.spacecrab.detect.CloudTrailFixtures.MINTED_SESSION_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.OTHER_ACCOUNT_USER;
import static io.spacecrab.detect.CloudTrailFixtures.SESSION_CALL;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_ARN;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_PRINCIPAL;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_USER;
import static io.spacecrab.detect.CloudTrailFixtures.fixture;
import static io.spacecrab.detect.CloudTrailFixtures.gzip;
import static io.spacecrab.detect.CloudTrailFixtures.logFile;
import static io.spacecrab.detect.CloudTrailFixtures.logFileOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spacecrab.detect.CloudTrailFileException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CloudTrailParserTest {
  private final CloudTrailParser parser = new CloudTrailParser();
  private final List<CloudTrailRecord> delivered = new ArrayList<>();

  @Test
  void readsTheFieldsOfAnIamUserRecord() throws Exception {
    CloudTrailFileSummary summary = parse(gzip(logFile(IAM_USER)));

    assertThat(summary.records()).isEqualTo(1);
    assertThat(delivered)
        .containsExactly(
            new CloudTrailRecord(
                "0a1b2c3d-1111-4e5f-8a9b-000000000001",
                "2024-05-14T09:12:44Z",
                "sts.amazonaws.com",
                "GetCallerIdentity",
                "us-east-1",
                "203.0.113.45",
                "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1014-aws exe/x86_64.ubuntu.22"
                    + " prompt/off command/sts.get-caller-identity",
                null,
                "IAMUser",
                TOKEN_PRINCIPAL,
                TOKEN_ARN,
                "111122223333",
                TOKEN_KEY,
                TOKEN_USER,
                null,
                null,
                true,
                "AwsApiCall",
                null,
                null,
                null));
  }

  /** Issue 12 item 18: what the alert needs to tell a service's call and a session's from the caller's own. */
  @Test
  void readsWhoInvokedTheCallAndTheSessionOfAConsoleCall() throws Exception {
    parse(gzip(logFile(HEALTH_CONSOLE_SESSION)));

    CloudTrailRecord r = delivered.get(0);
    assertThat(r.invokedBy()).isEqualTo("health.amazonaws.com");
    assertThat(r.sourceIpAddress()).isEqualTo("health.amazonaws.com");
    assertThat(r.readOnly()).isTrue();
    assertThat(r.eventType()).isEqualTo("AwsApiCall");
    assertThat(r.fromConsole()).isTrue();
    assertThat(r.mfaAuthenticated()).isFalse();
    assertThat(r.sessionCreatedAt()).isEqualTo("2024-05-14T09:20:11Z");
    assertThat(r.temporaryCredentials()).isTrue();
  }

  @Test
  void readsTheSessionOfAGetSessionTokenCallAndNoneForTheLongTermKey() throws Exception {
    parse(gzip(logFile(SESSION_CALL, IAM_USER, AWS_INTERNAL)));

    CloudTrailRecord session = delivered.get(0);
    assertThat(session.fromConsole()).isNull();
    assertThat(session.mfaAuthenticated()).isFalse();
    assertThat(session.sessionCreatedAt()).isEqualTo("2024-05-14T09:13:02Z");
    assertThat(session.temporaryCredentials()).isTrue();
    assertThat(session.invokedBy()).isNull();
    CloudTrailRecord longTerm = delivered.get(1);
    assertThat(longTerm.temporaryCredentials()).isFalse();
    assertThat(longTerm.mfaAuthenticated()).isNull();
    CloudTrailRecord internal = delivered.get(2);
    assertThat(internal.invokedBy()).isEqualTo("AWS Internal");
    assertThat(internal.readOnly()).isFalse();
  }

  @Test
  void readsFlagsWrittenAsBooleansOrTextAndCountsOtherTypes() throws Exception {
    String asBooleans = "{\"eventID\":\"e-1\",\"userIdentity\":{\"accessKeyId\":\"" + TOKEN_KEY + "\","
        + "\"sessionContext\":{\"attributes\":{\"mfaAuthenticated\":true}}},"
        + "\"readOnly\":\"false\",\"sessionCredentialFromConsole\":true}";
    String wrong = "{\"eventID\":\"e-2\",\"userIdentity\":{\"accessKeyId\":\"" + TOKEN_KEY + "\","
        + "\"sessionContext\":[1]},\"readOnly\":1,\"eventType\":{}}";

    CloudTrailFileSummary summary = parse(gzip(logFileOf(asBooleans, wrong)));

    assertThat(delivered.get(0).mfaAuthenticated()).isTrue();
    assertThat(delivered.get(0).readOnly()).isFalse();
    assertThat(delivered.get(0).fromConsole()).isTrue();
    assertThat(summary.wrongTypeFields()).isEqualTo(3);
    assertThat(delivered.get(1).readOnly()).isNull();
    assertThat(delivered.get(1).eventType()).isNull();
    assertThat(delivered.get(1).temporaryCredentials()).isFalse();
  }

  @Test
  void readsAnAssumedRoleRecordWithoutTakingTheRoleNameForAUserName() throws Exception {
    parse(gzip(logFile(ASSUMED_ROLE)));

    CloudTrailRecord r = delivered.get(0);
    assertThat(r.identityType()).isEqualTo("AssumedRole");
    assertThat(r.principalId()).isEqualTo("AROAZ7EXAMPLEROLEID12:i-0abc123def4567890");
    assertThat(r.arn())
        .isEqualTo("arn:aws:sts::444455556666:assumed-role/ec2-app-role/i-0abc123def4567890");
    assertThat(r.accessKeyId()).isEqualTo("ASIAGO645SY5FJROLESA");
    assertThat(r.userName()).isNull();
    assertThat(r.awsRegion()).isEqualTo("eu-west-1");
  }

  @Test
  void readsTheMintedSessionKeyOfGetSessionTokenButNeverItsSessionToken() throws Exception {
    parse(gzip(logFile(GET_SESSION_TOKEN)));

    CloudTrailRecord r = delivered.get(0);
    assertThat(r.eventName()).isEqualTo("GetSessionToken");
    assertThat(r.accessKeyId()).isEqualTo(TOKEN_KEY);
    assertThat(r.sessionAccessKeyId()).isEqualTo(MINTED_SESSION_KEY);
    assertThat(r.toString()).doesNotContain("FIXTURE-PLACEHOLDER-NOT-A-SESSION-TOKEN");
  }

  @Test
  void readsACallMadeWithTheSessionKeyAsTheTokensUser() throws Exception {
    parse(gzip(logFile(SESSION_CALL)));

    CloudTrailRecord r = delivered.get(0);
    assertThat(r.accessKeyId()).isEqualTo(MINTED_SESSION_KEY);
    assertThat(r.principalId()).isEqualTo(TOKEN_PRINCIPAL);
    assertThat(r.errorCode()).isEqualTo("AccessDenied");
    assertThat(r.failed()).isTrue();
  }

  @Test
  void readsAnAwsServiceRecordThatHasNoAccessKeyId() throws Exception {
    parse(gzip(logFile(AWS_SERVICE)));

    CloudTrailRecord r = delivered.get(0);
    assertThat(r.identityType()).isEqualTo("AWSService");
    assertThat(r.accessKeyId()).isNull();
    assertThat(r.principalId()).isNull();
    assertThat(r.sourceIpAddress()).isEqualTo("s3.amazonaws.com");
  }

  @Test
  void deliversRecordsInFileOrderWhateverTheirEventTimes() throws Exception {
    parse(gzip(logFile(SESSION_CALL, ASSUMED_ROLE, IAM_USER, AWS_SERVICE)));

    assertThat(delivered)
        .extracting(CloudTrailRecord::eventTime)
        .containsExactly(
            "2024-05-14T09:13:09Z",
            "2024-05-14T09:05:17Z",
            "2024-05-14T09:12:44Z",
            "2024-05-14T09:02:40Z");
  }

  @Test
  void readsFieldsInAnyOrderWithinARecord() throws Exception {
    String reordered =
        "{\"responseElements\":{\"credentials\":{\"expiration\":\"x\",\"accessKeyId\":\""
            + MINTED_SESSION_KEY
            + "\"}},\"eventName\":\"GetSessionToken\",\"eventID\":\"e-1\","
            + "\"userIdentity\":{\"userName\":\"reporting-sync\",\"accessKeyId\":\""
            + TOKEN_KEY
            + "\",\"type\":\"IAMUser\"}}";

    parse(gzip(logFileOf(reordered)), keyFilter(TOKEN_KEY));

    assertThat(delivered).hasSize(1);
    assertThat(delivered.get(0).sessionAccessKeyId()).isEqualTo(MINTED_SESSION_KEY);
    assertThat(delivered.get(0).eventId()).isEqualTo("e-1");
  }

  @Test
  void deliversOnlyRecordsTheFilterAccepts() throws Exception {
    CloudTrailFileSummary summary =
        parse(
            gzip(
                logFile(
                    ASSUMED_ROLE, IAM_USER, AWS_SERVICE, OTHER_ACCOUNT_USER, GET_SESSION_TOKEN)),
            keyFilter(TOKEN_KEY));

    assertThat(delivered)
        .extracting(CloudTrailRecord::eventName)
        .containsExactly("GetCallerIdentity", "GetSessionToken");
    assertThat(summary.records()).isEqualTo(5);
    assertThat(summary.delivered()).isEqualTo(2);
  }

  @Test
  void showsTheFilterAbsentIdentityFieldsAsEmpty() throws Exception {
    List<String> seen = new ArrayList<>();
    parse(
        gzip(logFile(AWS_SERVICE)),
        (key, principal, arn, user) -> {
          seen.add(key + "|" + principal + "|" + arn + "|" + user);
          return false;
        });

    assertThat(seen).containsExactly("|||");
    assertThat(delivered).isEmpty();
  }

  @Test
  void deliversRecordsBeforeTruncationThenReportsTruncated() {
    byte[] whole = gzip(logFile(IAM_USER, ASSUMED_ROLE, GET_SESSION_TOKEN, AWS_SERVICE));
    byte[] cut = Arrays.copyOf(whole, whole.length * 3 / 4);

    CloudTrailFileException e = parseFailure(cut);

    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(delivered).isNotEmpty().hasSizeLessThan(4);
    assertThat(delivered.get(0).eventName()).isEqualTo("GetCallerIdentity");
    assertThat(e.summary().delivered()).isEqualTo(delivered.size());
  }

  @Test
  void reportsTruncatedWhenTheJsonEndsInsideACompleteGzipStream() {
    String json = logFile(IAM_USER, ASSUMED_ROLE);
    byte[] gz = gzip(json.substring(0, json.length() - 40));

    CloudTrailFileException e = parseFailure(gz);

    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(delivered).hasSize(1);
  }

  @Test
  void reportsNotGzipForPlainJson() {
    CloudTrailFileException e =
        parseFailure(logFile(IAM_USER).getBytes(StandardCharsets.UTF_8));

    assertThat(e.reason()).isEqualTo(Reason.NOT_GZIP);
    assertThat(delivered).isEmpty();
  }

  @Test
  void reportsNotGzipForAnEmptyFile() {
    assertThat(parseFailure(new byte[0]).reason()).isEqualTo(Reason.NOT_GZIP);
  }

  @Test
  void reportsCorruptGzipWhenTheChecksumFailsAfterDeliveringTheRecords() {
    byte[] gz = gzip(logFile(IAM_USER, GET_SESSION_TOKEN));
    gz[gz.length - 8] ^= 0x5a;

    CloudTrailFileException e = parseFailure(gz);

    assertThat(e.reason()).isEqualTo(Reason.CORRUPT_GZIP);
    assertThat(delivered).hasSize(2);
  }

  @Test
  void reportsMalformedJsonAfterDeliveringEarlierRecords() {
    String broken = logFileOf(fixture(IAM_USER), "{\"eventID\": \"x\" \"eventName\": 1}");

    CloudTrailFileException e = parseFailure(gzip(broken));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON);
    assertThat(delivered).hasSize(1);
    assertThat(e.summary().records()).isEqualTo(2);
  }

  @Test
  void neverQuotesTheFileInTheErrorMessage() {
    String broken = logFileOf(fixture(IAM_USER), "{\"eventID\": QUOTEMENOTxyzzy}");

    CloudTrailFileException e = parseFailure(gzip(broken));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON);
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertThat(t.getMessage()).doesNotContain("QUOTEME").doesNotContain("xyzzy");
    }
  }

  @Test
  void reportsContentAfterTheDocumentAsMalformed() {
    CloudTrailFileException e = parseFailure(gzip(logFile(IAM_USER) + "{\"Records\":[]}"));

    assertThat(e.reason()).isEqualTo(Reason.MALFORMED_JSON);
    assertThat(delivered).hasSize(1);
  }

  @Test
  void reportsWrongTypeWhenRecordsIsAnObject() {
    CloudTrailFileException e = parseFailure(gzip("{\"Records\":{}}"));

    assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE);
    assertThat(e.getMessage()).contains("\"Records\" is an object");
  }

  @Test
  void reportsWrongTypeWhenTheDocumentIsAnArray() {
    assertThat(parseFailure(gzip("[" + fixture(IAM_USER) + "]")).reason())
        .isEqualTo(Reason.WRONG_TYPE);
  }

  @Test
  void ignoresAWrongTypedUserIdentityAndCountsIt() throws Exception {
    String record = "{\"eventID\":\"e-1\",\"userIdentity\":5,\"eventName\":\"ListUsers\"}";

    CloudTrailFileSummary summary = parse(gzip(logFileOf(record, fixture(IAM_USER))));

    assertThat(summary.wrongTypeFields()).isEqualTo(1);
    assertThat(delivered).hasSize(2);
    assertThat(delivered.get(0).accessKeyId()).isNull();
    assertThat(delivered.get(0).eventName()).isEqualTo("ListUsers");
  }

  @Test
  void ignoresWrongTypedTextFieldsAndCountsThem() throws Exception {
    String record =
        "{\"eventTime\":5,\"eventName\":{\"a\":[1,2]},\"eventSource\":[\"x\"],"
            + "\"responseElements\":\"none\",\"errorCode\":null,"
            + "\"userIdentity\":{\"accessKeyId\":true,\"userName\":\"u\"}}";

    CloudTrailFileSummary summary = parse(gzip(logFileOf(record)));

    assertThat(summary.wrongTypeFields()).isEqualTo(5);
    CloudTrailRecord r = delivered.get(0);
    assertThat(r.eventTime()).isNull();
    assertThat(r.eventName()).isNull();
    assertThat(r.errorCode()).isNull();
    assertThat(r.accessKeyId()).isNull();
    assertThat(r.userName()).isEqualTo("u");
  }

  @Test
  void skipsRecordsThatAreNotObjectsWithACount() throws Exception {
    CloudTrailFileSummary summary =
        parse(gzip(logFileOf("5", "\"x\"", "[1,{\"a\":2}]", "null", fixture(IAM_USER))));

    assertThat(summary.skippedElements()).isEqualTo(4);
    assertThat(summary.records()).isEqualTo(1);
    assertThat(delivered).hasSize(1);
  }

  @Test
  void cutsAHugeUserAgentAtTheFieldCapAndMarksIt() throws Exception {
    String huge = "A".repeat(500_000);
    String record = fixture(IAM_USER).replace("aws-cli/2.15.30", huge);

    CloudTrailFileSummary summary = parse(gzip(logFileOf(record)));

    String userAgent = delivered.get(0).userAgent();
    assertThat(userAgent)
        .hasSize(1024)
        .startsWith("AAAA")
        .endsWith(CloudTrailRecord.TRUNCATED_MARK);
    assertThat(summary.truncatedFields()).isEqualTo(1);
    assertThat(delivered.get(0).accessKeyId()).isEqualTo(TOKEN_KEY);
  }

  @Test
  void skipsHugeStringsInFieldsItDoesNotReadWhateverTheStringBound() throws Exception {
    CloudTrailParser strict =
        new CloudTrailParser(CloudTrailLimits.DEFAULTS.withMaxStringChars(2048));
    String record =
        fixture(IAM_USER)
            .replace(
                "\"requestParameters\": null",
                "\"requestParameters\": {\"policy\": \"" + "p".repeat(3_000_000) + "\"}");

    strict.parse(
        new ByteArrayInputStream(gzip(logFileOf(record))), RecordFilter.ALL, delivered::add);

    assertThat(delivered).hasSize(1);
  }

  @Test
  void skipsHugeStringsInRecordsTheFilterRejected() throws Exception {
    CloudTrailParser strict =
        new CloudTrailParser(CloudTrailLimits.DEFAULTS.withMaxStringChars(2048));
    String other = fixture(ASSUMED_ROLE).replace("aws-sdk-java/2.25.31", "j".repeat(3_000_000));

    strict.parse(
        new ByteArrayInputStream(gzip(logFileOf(other, fixture(IAM_USER)))),
        keyFilter(TOKEN_KEY),
        delivered::add);

    assertThat(delivered).extracting(CloudTrailRecord::accessKeyId).containsExactly(TOKEN_KEY);
  }

  @Test
  void reportsTooLargeWhenAStringItReadsExceedsTheStringBound() {
    CloudTrailParser strict =
        new CloudTrailParser(CloudTrailLimits.DEFAULTS.withMaxStringChars(2048));
    String ours = fixture(IAM_USER).replace("aws-cli/2.15.30", "c".repeat(100_000));

    CloudTrailFileException e =
        catchThrowableOfType(
            CloudTrailFileException.class,
            () ->
                strict.parse(
                    new ByteArrayInputStream(gzip(logFileOf(fixture(GET_SESSION_TOKEN), ours))),
                    RecordFilter.ALL,
                    delivered::add));

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(delivered)
        .extracting(CloudTrailRecord::eventName)
        .containsExactly("GetSessionToken");
  }

  @Test
  void deliversRecordsBeforeTheDecompressedSizeBoundThenReportsTooLarge() {
    String[] records = new String[200];
    Arrays.fill(records, fixture(IAM_USER));
    CloudTrailParser capped =
        new CloudTrailParser(CloudTrailLimits.DEFAULTS.withMaxDecompressedBytes(100_000));

    CloudTrailFileException e =
        catchThrowableOfType(
            CloudTrailFileException.class,
            () ->
                capped.parse(
                    new ByteArrayInputStream(gzip(logFileOf(records))),
                    RecordFilter.ALL,
                    delivered::add));

    assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE);
    assertThat(e.summary().decompressedBytes()).isEqualTo(100_001);
    assertThat(delivered).hasSizeGreaterThan(50).hasSizeLessThan(200);
  }

  @Test
  void reportsTooManyRecordsAfterDeliveringTheAllowedOnes() {
    CloudTrailParser capped = new CloudTrailParser(CloudTrailLimits.DEFAULTS.withMaxRecords(3));
    byte[] gz = gzip(logFile(IAM_USER, ASSUMED_ROLE, AWS_SERVICE, GET_SESSION_TOKEN, SESSION_CALL));

    CloudTrailFileException e =
        catchThrowableOfType(
            CloudTrailFileException.class,
            () -> capped.parse(new ByteArrayInputStream(gz), RecordFilter.ALL, delivered::add));

    assertThat(e.reason()).isEqualTo(Reason.TOO_MANY_RECORDS);
    assertThat(delivered).hasSize(3);
  }

  @Test
  void reportsADigestFileAsNotALogFile() {
    CloudTrailFileException e = parseFailure(gzip(fixture(DIGEST)));

    assertThat(e.reason()).isEqualTo(Reason.NOT_A_LOG_FILE);
    assertThat(delivered).isEmpty();
  }

  @Test
  void acceptsAnEmptyRecordsArray() throws Exception {
    CloudTrailFileSummary summary = parse(gzip("{\"Records\":[]}"));

    assertThat(summary.records()).isZero();
    assertThat(delivered).isEmpty();
  }

  @Test
  void readsConcatenatedGzipMembers() throws Exception {
    String json = logFile(IAM_USER, ASSUMED_ROLE);
    int half = json.length() / 2;
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(gzip(json.substring(0, half)));
    both.write(gzip(json.substring(half)));

    parse(both.toByteArray());

    assertThat(delivered).hasSize(2);
  }

  @Test
  void passesTheSourcesOwnReadFailureThroughUnchanged() {
    byte[] gz = gzip(logFile(IAM_USER, ASSUMED_ROLE, GET_SESSION_TOKEN));
    IOException reset = new IOException("connection reset");
    InputStream failing =
        new FilterInputStream(new ByteArrayInputStream(gz, 0, gz.length / 2)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n < 0) {
              throw reset;
            }
            return n;
          }
        };

    assertThatThrownBy(() -> parser.parse(failing, RecordFilter.ALL, delivered::add))
        .isSameAs(reset);
  }

  @Test
  void passesASinkFailureThroughUnchanged() {
    IllegalStateException boom = new IllegalStateException("alert store down");

    assertThatThrownBy(
            () ->
                parser.parse(
                    new ByteArrayInputStream(gzip(logFile(IAM_USER))),
                    RecordFilter.ALL,
                    r -> {
                      throw boom;
                    }))
        .isSameAs(boom);
  }

  @Test
  void closesTheStreamWhetherOrNotTheFileIsGood() throws Exception {
    AtomicBoolean closedGood = new AtomicBoolean();
    AtomicBoolean closedBad = new AtomicBoolean();

    parser.parse(closing(gzip(logFile(IAM_USER)), closedGood), RecordFilter.ALL, r -> {});
    catchThrowableOfType(
        CloudTrailFileException.class,
        () -> parser.parse(closing(new byte[] {1, 2, 3}, closedBad), RecordFilter.ALL, r -> {}));

    assertThat(closedGood).isTrue();
    assertThat(closedBad).isTrue();
  }

  @Test
  void readsTheRecordOfAnEventBridgeEvent() throws Exception {
    Optional<CloudTrailRecord> r = parser.parseEvent(bytes(fixture(EVENTBRIDGE_EVENT)));

    assertThat(r).isPresent();
    assertThat(r.get().accessKeyId()).isEqualTo(TOKEN_KEY);
    assertThat(r.get().eventId()).isEqualTo("0a1b2c3d-1111-4e5f-8a9b-000000000001");
  }

  @Test
  void readsABareRecordAsAnEvent() throws Exception {
    Optional<CloudTrailRecord> r = parser.parseEvent(bytes(fixture(GET_SESSION_TOKEN)));

    assertThat(r.map(CloudTrailRecord::sessionAccessKeyId)).contains(MINTED_SESSION_KEY);
  }

  @Test
  void findsNoRecordInAnUnrelatedEvent() throws Exception {
    assertThat(parser.parseEvent(bytes("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}")))
        .isEmpty();
  }

  @Test
  void reportsAMalformedEvent() {
    CloudTrailFileException e =
        catchThrowableOfType(
            CloudTrailFileException.class, () -> parser.parseEvent(bytes("{\"detail\": {")));

    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
  }

  private CloudTrailFileSummary parse(byte[] gz) throws Exception {
    return parse(gz, RecordFilter.ALL);
  }

  private CloudTrailFileSummary parse(byte[] gz, RecordFilter filter) throws Exception {
    return parser.parse(new ByteArrayInputStream(gz), filter, delivered::add);
  }

  private CloudTrailFileException parseFailure(byte[] gz) {
    CloudTrailFileException e =
        catchThrowableOfType(CloudTrailFileException.class, () -> parse(gz));
    assertThat(e).as("a CloudTrailFileException").isNotNull();
    return e;
  }

  private static RecordFilter keyFilter(String keyId) {
    return (key, principal, arn, user) -> keyId.contentEquals(key);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static InputStream closing(byte[] bytes, AtomicBoolean closed) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public void close() {
        closed.set(true);
      }
    };
  }
}
