package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessKeyIdTest {

  @Test
  void decodesTheAccountOfThePublishedExampleKeyId() {
    // the worked example on hackingthe.cloud (get-account-id-from-keys)
    assertThat(AccessKeyId.accountOf("ASIAQNZGKIQY56JQ7WML")).isEqualTo(29_608_264_753L);
    assertThat(AccessKeyId.formatAccount(29_608_264_753L)).isEqualTo("029608264753");
  }

  @Test
  void decodesTheAccountsOfTheFixtureKeys() {
    assertThat(AccessKeyId.accountOf(CloudTrailFixtures.TOKEN_KEY)).isEqualTo(111_122_223_333L);
    assertThat(AccessKeyId.accountOf(CloudTrailFixtures.OTHER_ACCOUNT_KEY))
        .isEqualTo(444_455_556_666L);
  }

  @Test
  void refusesIdsThatAreNotBase32OfTheRightLength() {
    assertThat(AccessKeyId.accountOf("AKIABTX3GSDSVJEXAMP")).isEqualTo(-1);
    assertThat(AccessKeyId.accountOf("AKIABTX3GSDSVJEXAMPLE")).isEqualTo(-1);
    assertThat(AccessKeyId.accountOf("AKIAbtx3gsdsvjEXAMPL")).isEqualTo(-1);
    assertThat(AccessKeyId.accountOf("AKIA0TX3GSDSVJEXAMPL")).isEqualTo(-1);
    assertThat(AccessKeyId.accountOf(null)).isEqualTo(-1);
  }

  @Test
  void tellsLongTermKeysFromSessionKeys() {
    assertThat(AccessKeyId.isLongTerm(CloudTrailFixtures.TOKEN_KEY)).isTrue();
    assertThat(AccessKeyId.isSession(CloudTrailFixtures.TOKEN_KEY)).isFalse();
    assertThat(AccessKeyId.isSession(CloudTrailFixtures.MINTED_SESSION_KEY)).isTrue();
    assertThat(AccessKeyId.isLongTerm("AKIA")).isFalse();
    assertThat(AccessKeyId.isLongTerm(null)).isFalse();
  }

  @Test
  void decodesTheAccountFromRawBytesAsFromText() {
    for (String id : new String[] {
        CloudTrailFixtures.TOKEN_KEY, CloudTrailFixtures.UNREGISTERED_KEY_OF_OUR_ACCOUNT,
        CloudTrailFixtures.OTHER_ACCOUNT_KEY, "AKIA0000000000000000", "AKIAIOSFODNN7EXAMPLE"}) {
      byte[] bytes = ("x" + id).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(AccessKeyId.accountOf(bytes, 1)).as(id).isEqualTo(AccessKeyId.accountOf(id));
      assertThat(AccessKeyId.isLongTerm(bytes, 1, 20)).isEqualTo(AccessKeyId.isLongTerm(id));
    }
  }
}
