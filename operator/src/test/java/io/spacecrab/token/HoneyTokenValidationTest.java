package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.testing.Tokens;
import org.junit.jupiter.api.Test;

class HoneyTokenValidationTest {

  @Test
  void acceptsAMinimalSpec() {
    assertThat(HoneyTokenValidation.problems(Tokens.token("ns", "n", "creds").getSpec())).isEmpty();
  }

  @Test
  void namesEveryBrokenField() {
    HoneyTokenSpec spec = Tokens.token("ns", "n", "Bad_Name").getSpec();
    spec.getSecret().setRegion("Mars");
    spec.getSecret().setCredentialsKey("a/b");
    spec.setUserName("with space");
    spec.setExpiresAt("tomorrow");
    spec.setNotes("x".repeat(5000));
    assertThat(HoneyTokenValidation.problems(spec)).hasSize(6).anyMatch(p -> p.startsWith("spec.secret.name"))
        .anyMatch(p -> p.startsWith("spec.secret.region")).anyMatch(p -> p.startsWith("spec.secret.credentialsKey"))
        .anyMatch(p -> p.startsWith("spec.userName")).anyMatch(p -> p.startsWith("spec.expiresAt"))
        .anyMatch(p -> p.startsWith("spec.notes"));
  }

  @Test
  void missingSpecOrSecretIsAProblem() {
    assertThat(HoneyTokenValidation.problems(null)).containsExactly("spec is missing");
    assertThat(HoneyTokenValidation.problems(new HoneyTokenSpec())).containsExactly("spec.secret.name is required");
  }
}
