package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretSealTest {
  final SecretSeal seal = new SecretSeal(SecretSeal.newKey());

  @Test
  void opensWhatItSealed() {
    String sealed = seal.seal("AKIA1", "secret-value");
    assertThat(sealed).doesNotContain("secret-value");
    assertThat(seal.open("AKIA1", sealed)).contains("secret-value");
  }

  @Test
  void refusesAnotherKeyIdAnotherSealKeyAndGarbage() {
    String sealed = seal.seal("AKIA1", "secret-value");
    assertThat(seal.open("AKIA2", sealed)).isEmpty();
    assertThat(new SecretSeal(SecretSeal.newKey()).open("AKIA1", sealed)).isEmpty();
    assertThat(seal.open("AKIA1", "not base64 !")).isEmpty();
    assertThat(seal.open("AKIA1", "AAAA")).isEmpty();
    assertThat(seal.open("AKIA1", null)).isEmpty();
  }

  @Test
  void sealingTwiceGivesDifferentText() {
    assertThat(seal.seal("AKIA1", "s")).isNotEqualTo(seal.seal("AKIA1", "s"));
  }

  @Test
  void derivedNamePartsAreStablePerKeyAndUnguessableWithoutIt() {
    SecretSeal other = new SecretSeal(SecretSeal.newKey());
    String part = seal.derive("self-test/prod-eu");
    assertThat(part).matches("[0-9a-f]{16}").isEqualTo(seal.derive("self-test/prod-eu"));
    assertThat(seal.derive("self-test/prod-us")).isNotEqualTo(part);
    assertThat(other.derive("self-test/prod-eu")).isNotEqualTo(part);
  }
}
