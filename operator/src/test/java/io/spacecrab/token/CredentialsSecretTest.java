package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.v1alpha1.SecretTarget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class CredentialsSecretTest {
  static final String ID = "AKIAEXAMPLEEXAMPLE12";
  static final String SECRET = "example/secret/value/of/forty/characters";

  @Test
  void envFormatIsTheDefault() {
    SecretTarget target = new SecretTarget();
    assertThat(plain(CredentialsSecret.data(target, ID, SECRET)))
        .containsExactly(Map.entry("AWS_ACCESS_KEY_ID", ID), Map.entry("AWS_SECRET_ACCESS_KEY", SECRET));
  }

  @Test
  void credentialsFileUsesTheChosenKeyProfileAndRegion() {
    SecretTarget target = new SecretTarget();
    target.setFormat("credentials");
    target.setCredentialsKey("config.ini");
    target.setProfile("prod");
    target.setRegion("eu-west-1");
    assertThat(plain(CredentialsSecret.data(target, ID, SECRET))).containsExactly(Map.entry("config.ini",
        "[prod]\naws_access_key_id = " + ID + "\naws_secret_access_key = " + SECRET + "\nregion = eu-west-1\n"));
  }

  @Test
  void bothFormatsTogether() {
    SecretTarget target = new SecretTarget();
    target.setFormat("both");
    assertThat(plain(CredentialsSecret.data(target, ID, SECRET)))
        .containsOnlyKeys("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "credentials");
  }

  static Map<String, String> plain(Map<String, String> data) {
    Map<String, String> out = new TreeMap<>();
    data.forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }
}
