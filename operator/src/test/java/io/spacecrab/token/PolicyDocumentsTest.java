package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PolicyDocumentsTest {

  @Test
  void recognisesOurDenyAllInItsUsualSpellings() {
    assertThat(PolicyDocuments.sameDenyAll(TokenIssuer.DENY_ALL)).isTrue();
    assertThat(PolicyDocuments.sameDenyAll(
        "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":[\"*\"],\"Resource\":[\"*\"]}}")).isTrue();
  }

  @Test
  void anythingWeakerIsNotDenyAll() {
    assertThat(PolicyDocuments.sameDenyAll("{\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}"))
        .isFalse();
    assertThat(PolicyDocuments.sameDenyAll("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"s3:*\",\"Resource\":\"*\"}]}"))
        .isFalse();
    assertThat(PolicyDocuments.sameDenyAll("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
        + "\"Condition\":{\"Bool\":{\"aws:SecureTransport\":\"false\"}}}]}")).isFalse();
    assertThat(PolicyDocuments.sameDenyAll("{\"Statement\":[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}]}")).isFalse();
    assertThat(PolicyDocuments.sameDenyAll("not json")).isFalse();
  }
}
