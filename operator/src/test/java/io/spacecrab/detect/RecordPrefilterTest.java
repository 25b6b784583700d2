package io.spacecrab.detect;

import static io.spacecrab.detect.CloudTrailFixtures.ASSUMED_ROLE;
import static io.spacecrab.detect.CloudTrailFixtures.AWS_SERVICE;
import static io.spacecrab.detect.CloudTrailFixtures.GET_SESSION_TOKEN;
import static io.spacecrab.detect.CloudTrailFixtures.IAM_USER;
import static io.spacecrab.detect.CloudTrailFixtures.OTHER_ACCOUNT_USER;
import static io.spacecrab.detect.CloudTrailFixtures.SESSION_KEY_ONLY;
import static io.spacecrab.detect.CloudTrailFixtures.UNREGISTERED_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.UNREGISTERED_KEY_OF_OUR_ACCOUNT;
import static io.spacecrab.detect.CloudTrailFixtures.fixture;
import static io.spacecrab.detect.CloudTrailFixtures.gzip;
import static io.spacecrab.detect.CloudTrailFixtures.logFileOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordPrefilterTest {
  private static final RegistryRecord TOKEN = CloudTrailFixtures.tokenEntry(RegistryState.Active);

  @Test
  void recordsOfOthersReachTheParserAsEmptyObjectsAndOursUnchanged() throws Exception {
    String ours = compact(IAM_USER);
    // a user of another account with the token's user name: the matcher decides on the account
    String sameName = compact(OTHER_ACCOUNT_USER);
    String json = logFileOf(compact(ASSUMED_ROLE), ours, compact(AWS_SERVICE), sameName, "7");
    RecordPrefilter prefilter = new RecordPrefilter(1024);

    String out = screened(prefilter, json, new TokenMatcher(RegistrySnapshot.of(List.of(TOKEN))));

    assertThat(out).isEqualTo("{\"Records\":[{}," + ours + ",{}," + sameName + ",7]}");
    assertThat(prefilter.dropped()).isEqualTo(2);
  }

  @Test
  void aRecordWithAnEscapedIdentityValueIsPassedOn() throws Exception {
    String escaped = compact(OTHER_ACCOUNT_USER).replaceFirst("\"accountId\":\"(.)", "\"accountId\":\"\\\\u0034");
    assertThat(escaped).contains("\\u0034");
    String json = logFileOf(compact(ASSUMED_ROLE), escaped);

    String out = screened(new RecordPrefilter(1024), json, new TokenMatcher(RegistrySnapshot.of(List.of(TOKEN))));

    assertThat(out).isEqualTo("{\"Records\":[{}," + escaped + "]}");
  }

  @Test
  void aKeyIssuedAfterTheRegistryWasReadIsPassedOnAndMatchesAfterTheRefresh() throws Exception {
    TokenMatcher matcher = new TokenMatcher(RegistrySnapshot.of(List.of(TOKEN)));
    byte[] file = gzip(logFileOf(compact(ASSUMED_ROLE), compact(UNREGISTERED_KEY)));
    List<CloudTrailRecord> delivered = new ArrayList<>();

    new CloudTrailParser().parse(new ByteArrayInputStream(file), matcher, delivered::add);

    assertThat(delivered).singleElement().satisfies(r -> {
      assertThat(matcher.match(r)).isEmpty();
      assertThat(matcher.looksLikeOurs(r.accessKeyId())).isTrue();
    });
    // the refresh swaps the screen with the registry: the new key is a token's now
    RegistryRecord newer = new RegistryRecord(UNREGISTERED_KEY_OF_OUR_ACCOUNT, null, "late-user", null, null, "ns", "late",
        "uid-late", "o", "l", null, null, RegistryState.Active, null, null);
    ValueScreen before = matcher.screen();
    matcher.replaceRegistry(RegistrySnapshot.of(List.of(TOKEN, newer)));
    assertThat(matcher.screen()).isNotSameAs(before);
    delivered.clear();
    new CloudTrailParser().parse(new ByteArrayInputStream(file), matcher, delivered::add);
    assertThat(delivered).singleElement().satisfies(r -> assertThat(matcher.match(r)).isPresent());
  }

  @Test
  void aSessionKeyMintedEarlierInTheFileScreensTheRecordsRightAfterIt() throws Exception {
    TokenMatcher matcher = new TokenMatcher(RegistrySnapshot.of(List.of(TOKEN)));
    byte[] file = gzip(logFileOf(compact(GET_SESSION_TOKEN), compact(SESSION_KEY_ONLY), compact(ASSUMED_ROLE)));
    List<TokenMatch> matches = new ArrayList<>();

    new CloudTrailParser().parse(new ByteArrayInputStream(file), matcher, r -> matcher.match(r).ifPresent(matches::add));

    assertThat(matches).extracting(TokenMatch::matchedBy)
        .containsExactly(TokenMatch.MatchedBy.ACCESS_KEY_ID, TokenMatch.MatchedBy.SESSION_KEY_ID);
  }

  @Test
  void aRegistryValueJsonCouldWriteInSeveralWaysTurnsThePrefilterOff() {
    RegistryRecord odd = new RegistryRecord("AKIAODDODDODDODDODD1", null, "caf\u00e9", null, null, "ns", "n", "u", "o", "l",
        null, null, RegistryState.Active, null, null);
    assertThat(new TokenMatcher(RegistrySnapshot.of(List.of(TOKEN))).screen()).isNotNull();
    assertThat(new TokenMatcher(RegistrySnapshot.of(List.of(TOKEN, odd))).screen()).isNull();
  }

  private static String screened(RecordPrefilter prefilter, String json, TokenMatcher matcher) throws Exception {
    prefilter.reset(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), matcher);
    return new String(prefilter.readAllBytes(), StandardCharsets.UTF_8);
  }

  private static String compact(String fixture) {
    return fixture(fixture).replaceAll("\\n\\s*", "").replace("\": ", "\":");
  }
}
