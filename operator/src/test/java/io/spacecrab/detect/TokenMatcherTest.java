package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import static io.spacecrab.detect.CloudTrailFixtures.ASSUMED_ROLE;
import static io.spacecrab.detect.CloudTrailFixtures.AWS_SERVICE;
import static io.spacecrab.detect.CloudTrailFixtures.GET_SESSION_TOKEN;
import static io.spacecrab.detect.CloudTrailFixtures.IAM_USER;
import static io.spacecrab.detect.CloudTrailFixtures.MINTED_SESSION_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.OTHER_ACCOUNT;
import static io.spacecrab.detect.CloudTrailFixtures.OTHER_ACCOUNT_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.OTHER_ACCOUNT_USER;
import static io.spacecrab.detect.CloudTrailFixtures.OUR_ACCOUNT;
import static io.spacecrab.detect.CloudTrailFixtures.SESSION_CALL;
import static io.spacecrab.detect.CloudTrailFixtures.SESSION_KEY_ONLY;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_ARN;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_PRINCIPAL;
import static io.spacecrab.detect.CloudTrailFixtures.TOKEN_USER;
import static io.spacecrab.detect.CloudTrailFixtures.UNREGISTERED_KEY;
import static io.spacecrab.detect.CloudTrailFixtures.UNREGISTERED_KEY_OF_OUR_ACCOUNT;
import static io.spacecrab.detect.CloudTrailFixtures.fixture;
import static io.spacecrab.detect.CloudTrailFixtures.gzip;
import static io.spacecrab.detect.CloudTrailFixtures.logFile;
import static io.spacecrab.detect.CloudTrailFixtures.tokenEntry;
import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.detect.TokenMatch.MatchedBy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokenMatcherTest {
  private final CloudTrailParser parser = new CloudTrailParser();
  private final TokenMatcher matcher =
      new TokenMatcher(RegistrySnapshot.of(List.of(tokenEntry(RegistryState.Active))));

  @Test
  void matchesACallMadeWithTheTokensKey() throws Exception {
    TokenMatch m = matcher.match(record(IAM_USER)).orElseThrow();

    assertThat(m.matchedBy()).isEqualTo(MatchedBy.ACCESS_KEY_ID);
    assertThat(m.entry().name()).isEqualTo("reporting-creds");
    assertThat(m.record().eventName()).isEqualTo("GetCallerIdentity");
  }

  @Test
  void attributesASessionKeyCallToTheTokenByItsUsersPrincipalId() throws Exception {
    TokenMatch m = matcher.match(record(SESSION_CALL)).orElseThrow();

    assertThat(m.matchedBy()).isEqualTo(MatchedBy.PRINCIPAL_ID);
    assertThat(m.entry().accessKeyId()).isEqualTo(TOKEN_KEY);
  }

  @Test
  void matchesByArnWhenThePrincipalIdIsMissing() {
    CloudTrailRecord r = identity(null, null, TOKEN_ARN, null, null);

    assertThat(matcher.match(r).map(TokenMatch::matchedBy)).contains(MatchedBy.ARN);
  }

  @Test
  void matchesByUserNameInTheTokensAccount() {
    CloudTrailRecord r = identity(null, null, null, TOKEN_USER, OUR_ACCOUNT);

    assertThat(matcher.match(r).map(TokenMatch::matchedBy)).contains(MatchedBy.USER_NAME);
  }

  @Test
  void ignoresTheSameUserNameInAnotherAccount() throws Exception {
    assertThat(matcher.match(record(OTHER_ACCOUNT_USER))).isEmpty();
    assertThat(matcher.match(identity(null, null, null, TOKEN_USER, OTHER_ACCOUNT))).isEmpty();
  }

  @Test
  void remembersTheMintedSessionKeySoARecordWithOnlyThatKeyMatches() throws Exception {
    assertThat(matcher.match(record(SESSION_KEY_ONLY))).isEmpty();

    matcher.match(record(GET_SESSION_TOKEN)).orElseThrow();
    Optional<TokenMatch> later = matcher.match(record(SESSION_KEY_ONLY));

    assertThat(later.map(TokenMatch::matchedBy)).contains(MatchedBy.SESSION_KEY_ID);
    assertThat(later.get().entry().accessKeyId()).isEqualTo(TOKEN_KEY);
    assertThat(matcher.sessionKeyCount()).isEqualTo(1);
  }

  @Test
  void learnsNoSessionKeyFromRecordsThatAreNotOurs() {
    CloudTrailRecord other =
        new CloudTrailRecord(
            "e-9", null, "sts.amazonaws.com", "GetSessionToken", null, null, null, null,
            "IAMUser", "AIDAZ7OTHERUSEREXMPL9", null, OTHER_ACCOUNT, OTHER_ACCOUNT_KEY, "deploy",
            MINTED_SESSION_KEY);

    assertThat(matcher.match(other)).isEmpty();
    assertThat(matcher.sessionKeyCount()).isZero();
  }

  @Test
  void forgetsTheOldestSessionKeyBeyondTheBound() {
    TokenMatcher small =
        new TokenMatcher(RegistrySnapshot.of(List.of(tokenEntry(RegistryState.Active))), 2);
    small.match(minting("ASIABTX3GSDSVJAAAAA2"));
    small.match(minting("ASIABTX3GSDSVJAAAAA3"));
    small.match(minting("ASIABTX3GSDSVJAAAAA4"));

    assertThat(small.sessionKeyCount()).isEqualTo(2);
    assertThat(small.match(keyOnly("ASIABTX3GSDSVJAAAAA2"))).isEmpty();
    assertThat(small.match(keyOnly("ASIABTX3GSDSVJAAAAA4"))).isPresent();
  }

  @Test
  void keepsRememberedSessionKeysAcrossARegistryRefreshAndReportsTheNewEntry() throws Exception {
    matcher.match(record(GET_SESSION_TOKEN));

    matcher.replaceRegistry(RegistrySnapshot.of(List.of(tokenEntry(RegistryState.Retired))));
    TokenMatch m = matcher.match(record(SESSION_KEY_ONLY)).orElseThrow();

    assertThat(m.matchedBy()).isEqualTo(MatchedBy.SESSION_KEY_ID);
    assertThat(m.entry().state()).isEqualTo(RegistryState.Retired);
  }

  @Test
  void stillMatchesRetiredTokensSoLateRecordsAlert() throws Exception {
    TokenMatcher tombstones =
        new TokenMatcher(RegistrySnapshot.of(List.of(tokenEntry(RegistryState.Retired))));

    assertThat(tombstones.match(record(IAM_USER)).map(m -> m.entry().state()))
        .contains(RegistryState.Retired);
  }

  @Test
  void prefersTheActiveEntryWhenTwoKeysShareAUser() throws Exception {
    RegistryRecord old = tokenEntry(RegistryState.Replaced);
    RegistryRecord current =
        new RegistryRecord(
            "AKIABTX3GSDSVJROTATE", TOKEN_PRINCIPAL, TOKEN_USER, TOKEN_ARN, null, "payments",
            "reporting-creds", "uid-2", "team-payments", "Secret payments/reporting-creds",
            null, null, RegistryState.Active, null, null);
    TokenMatcher m = new TokenMatcher(RegistrySnapshot.of(List.of(old, current)));

    assertThat(m.match(record(SESSION_CALL)).map(t -> t.entry().accessKeyId()))
        .contains("AKIABTX3GSDSVJROTATE");
    assertThat(m.match(record(IAM_USER)).map(t -> t.entry().accessKeyId())).contains(TOKEN_KEY);
  }

  @Test
  void filterAcceptsOurIdentitiesAndRejectsOthers() {
    assertThat(matcher.mightMatch(TOKEN_KEY, "", "", "")).isTrue();
    assertThat(matcher.mightMatch("", TOKEN_PRINCIPAL, "", "")).isTrue();
    assertThat(matcher.mightMatch("", "", TOKEN_ARN, "")).isTrue();
    assertThat(matcher.mightMatch("", "", "", TOKEN_USER)).isTrue();
    assertThat(
            matcher.mightMatch(
                OTHER_ACCOUNT_KEY,
                "AIDAZ7OTHERUSEREXMPL9",
                "arn:aws:iam::444455556666:user/deploy",
                "deploy"))
        .isFalse();
    assertThat(matcher.mightMatch("", "", "", "")).isFalse();
  }

  @Test
  void passesAnUnknownKeyOfOurAccountSoTheCallerCanRefreshTheRegistry() throws Exception {
    List<CloudTrailRecord> delivered = new ArrayList<>();
    parser.parse(
        new ByteArrayInputStream(gzip(logFile(UNREGISTERED_KEY, ASSUMED_ROLE))),
        matcher,
        delivered::add);

    assertThat(delivered).hasSize(1);
    CloudTrailRecord r = delivered.get(0);
    assertThat(matcher.match(r)).isEmpty();
    assertThat(matcher.looksLikeOurs(r.accessKeyId())).isTrue();
  }

  @Test
  void looksLikeOursOnlyForUnknownLongTermKeysOfOurAccounts() {
    assertThat(matcher.looksLikeOurs(UNREGISTERED_KEY_OF_OUR_ACCOUNT)).isTrue();
    assertThat(matcher.looksLikeOurs(TOKEN_KEY)).isFalse();
    assertThat(matcher.looksLikeOurs(OTHER_ACCOUNT_KEY)).isFalse();
    assertThat(matcher.looksLikeOurs(MINTED_SESSION_KEY)).isFalse();
    assertThat(matcher.looksLikeOurs("AKIA-not-a-key")).isFalse();
    assertThat(matcher.looksLikeOurs(null)).isFalse();
  }

  @Test
  void looksLikeOursUsesConfiguredAccountsBesideTheRegistrys() {
    TokenMatcher m = new TokenMatcher(RegistrySnapshot.of(List.of(), List.of(OTHER_ACCOUNT)));

    assertThat(m.looksLikeOurs(OTHER_ACCOUNT_KEY)).isTrue();
    assertThat(m.registry().accountIds()).containsExactly(OTHER_ACCOUNT);
  }

  @Test
  void findsEveryUseOfTheTokenInAMixedLogFile() throws Exception {
    List<TokenMatch> hits = new ArrayList<>();
    byte[] gz =
        gzip(
            logFile(
                ASSUMED_ROLE, SESSION_KEY_ONLY, AWS_SERVICE, IAM_USER, OTHER_ACCOUNT_USER,
                GET_SESSION_TOKEN, SESSION_CALL, SESSION_KEY_ONLY));

    CloudTrailFileSummary summary =
        parser.parse(
            new ByteArrayInputStream(gz), matcher, r -> matcher.match(r).ifPresent(hits::add));

    assertThat(hits)
        .extracting(h -> h.record().eventName() + "/" + h.matchedBy())
        .containsExactly(
            "GetCallerIdentity/ACCESS_KEY_ID",
            "GetSessionToken/ACCESS_KEY_ID",
            "ListBuckets/SESSION_KEY_ID",
            "Publish/SESSION_KEY_ID");
    assertThat(summary.records()).isEqualTo(8);
    // the other account's user of the same name passes the cheap filter; match() drops it
    assertThat(summary.delivered()).isEqualTo(5);
  }

  @Test
  void readsTheAccountOfAnArn() {
    assertThat(RegistryRecord.accountOfArn(TOKEN_ARN)).isEqualTo(OUR_ACCOUNT);
    assertThat(RegistryRecord.accountOfArn("arn:aws-us-gov:iam::123456789012:user/a/b"))
        .isEqualTo("123456789012");
    assertThat(RegistryRecord.accountOfArn("arn:aws:s3:::bucket")).isNull();
    assertThat(RegistryRecord.accountOfArn("not an arn")).isNull();
    assertThat(RegistryRecord.accountOfArn(null)).isNull();
  }

  private CloudTrailRecord record(String fixtureName) throws Exception {
    return parser
        .parseEvent(fixture(fixtureName).getBytes(StandardCharsets.UTF_8))
        .orElseThrow();
  }

  private static CloudTrailRecord identity(
      String key, String principal, String arn, String user, String account) {
    return new CloudTrailRecord(
        "e-1", "2024-05-14T09:00:00Z", "iam.amazonaws.com", "ListUsers", "us-east-1",
        "203.0.113.9", "curl/8.5.0", null, "IAMUser", principal, arn, account, key, user, null);
  }

  private static CloudTrailRecord minting(String sessionKey) {
    return new CloudTrailRecord(
        "e-" + sessionKey, null, "sts.amazonaws.com", "GetSessionToken", null, null, null, null,
        "IAMUser", TOKEN_PRINCIPAL, TOKEN_ARN, OUR_ACCOUNT, TOKEN_KEY, TOKEN_USER, sessionKey);
  }

  private static CloudTrailRecord keyOnly(String sessionKey) {
    return new CloudTrailRecord(
        "k-" + sessionKey, null, null, "Publish", null, null, null, null, "IAMUser", null, null,
        OUR_ACCOUNT, sessionKey, null, null);
  }
}
