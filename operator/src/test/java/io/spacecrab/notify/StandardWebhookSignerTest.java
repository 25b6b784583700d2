package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class StandardWebhookSignerTest {
  // The published test vector: standard-webhooks/standard-webhooks, the reference libraries'
  // tests (e.g. libraries/java/.../WebhookTest.java, verifyWebhookSignWorks).
  static final String VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  static final String VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  static final long VECTOR_TIMESTAMP = 1614265330L;
  static final String VECTOR_BODY = "{\"test\": 2432232314}";
  static final String VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
      "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
  static final String NEW_SECRET = "whsec_" + Base64.getEncoder().encodeToString(
      "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));

  @Test
  void reproducesThePublishedStandardWebhooksTestVector() {
    StandardWebhookSigner signer = new StandardWebhookSigner(List.of(VECTOR_SECRET));

    assertThat(signer.signature(VECTOR_ID, VECTOR_TIMESTAMP,
        VECTOR_BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(VECTOR_SIGNATURE);
  }

  @Test
  void acceptsTheSecretWithoutItsPrefixAsTheReferenceLibrariesDo() {
    StandardWebhookSigner signer =
        new StandardWebhookSigner(List.of(VECTOR_SECRET.substring("whsec_".length())));

    assertThat(signer.signature(VECTOR_ID, VECTOR_TIMESTAMP,
        VECTOR_BODY.getBytes(StandardCharsets.UTF_8))).isEqualTo(VECTOR_SIGNATURE);
  }

  @Test
  void headersCarryIdUnixSecondsAndSignatureThatAnIndependentVerifierAccepts() {
    StandardWebhookSigner signer = new StandardWebhookSigner(List.of(OLD_SECRET));
    byte[] body = "{\"type\":\"alert.opened\",\"note\":\"héllo ✓\"}".getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.parse("2024-05-01T10:07:31.900Z");

    Map<String, String> headers = signer.headers("hta-123", now, body);

    assertThat(headers).containsOnlyKeys("webhook-id", "webhook-timestamp", "webhook-signature");
    assertThat(headers.get("webhook-id")).isEqualTo("hta-123");
    assertThat(headers.get("webhook-timestamp")).isEqualTo("1714558051");
    assertThat(IndependentVerifier.verify(OLD_SECRET, headers, body, now)).isTrue();
  }

  @Test
  void signsWithEverySecretSoEitherSideOfARotationVerifies() {
    StandardWebhookSigner signer = new StandardWebhookSigner(List.of(OLD_SECRET, NEW_SECRET));
    byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.parse("2024-05-01T10:00:00Z");

    Map<String, String> headers = signer.headers("hta-1", now, body);

    assertThat(headers.get("webhook-signature").split(" ")).hasSize(2)
        .allSatisfy(s -> assertThat(s).startsWith("v1,"));
    assertThat(IndependentVerifier.verify(OLD_SECRET, headers, body, now)).isTrue();
    assertThat(IndependentVerifier.verify(NEW_SECRET, headers, body, now)).isTrue();
    assertThat(signer.secretCount()).isEqualTo(2);
  }

  @Test
  void independentVerifierRejectsATamperedBodyIdTimestampOrAnotherSecret() {
    StandardWebhookSigner signer = new StandardWebhookSigner(List.of(OLD_SECRET));
    byte[] body = "{\"eventCount\":3}".getBytes(StandardCharsets.UTF_8);
    Instant now = Instant.parse("2024-05-01T10:00:00Z");
    Map<String, String> headers = signer.headers("hta-1", now, body);

    assertThat(IndependentVerifier.verify(OLD_SECRET, headers,
        "{\"eventCount\":4}".getBytes(StandardCharsets.UTF_8), now)).isFalse();
    assertThat(IndependentVerifier.verify(OLD_SECRET,
        Map.of("webhook-id", "hta-2", "webhook-timestamp", headers.get("webhook-timestamp"),
            "webhook-signature", headers.get("webhook-signature")), body, now)).isFalse();
    assertThat(IndependentVerifier.verify(OLD_SECRET,
        Map.of("webhook-id", "hta-1", "webhook-timestamp", "1714557601",
            "webhook-signature", headers.get("webhook-signature")), body, now)).isFalse();
    assertThat(IndependentVerifier.verify(NEW_SECRET, headers, body, now)).isFalse();
    assertThat(IndependentVerifier.verify(OLD_SECRET, headers, body, now.plusSeconds(301)))
        .isFalse();
  }

  @Test
  void refusesMessageIdsThatCouldShiftTheSignedFields() {
    StandardWebhookSigner signer = new StandardWebhookSigner(List.of(OLD_SECRET));

    for (String id : new String[] {"a.b", "a b", "", "x\r\ny", "é", "a".repeat(256)}) {
      assertThatThrownBy(() -> signer.signature(id, 1, new byte[0]))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void refusesSecretsThatAreNotBase64OrTooShortOrTooLong() {
    assertThatThrownBy(() -> new StandardWebhookSigner(List.of())).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> new StandardWebhookSigner(List.of("whsec_not-base64!")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new StandardWebhookSigner(List.of("whsec_c2hvcnQ=")))
        .hasMessageContaining("decodes to 5 bytes");
    assertThatThrownBy(() -> new StandardWebhookSigner(
        List.of("whsec_" + Base64.getEncoder().encodeToString(new byte[65]))))
        .hasMessageContaining("65 bytes");
  }

  @Test
  void neitherToStringNorAnyErrorShowsASecret() {
    StandardWebhookSigner signer = new StandardWebhookSigner(List.of(OLD_SECRET, NEW_SECRET));
    assertThat(signer.toString()).isEqualTo("StandardWebhookSigner[2 secrets]");

    String badSecret = "whsec_SuperSecretValue-with*bad/chars==";
    String shortSecret = "whsec_U2VjcmV0U2hvcnQ=";
    for (String secret : List.of(badSecret, shortSecret)) {
      assertThatThrownBy(() -> new StandardWebhookSigner(List.of(OLD_SECRET, secret)))
          .satisfies(e -> {
            assertThat(e.getMessage()).contains("signing secret #2")
                .doesNotContain(secret).doesNotContain(secret.substring(6))
                .doesNotContain("SuperSecret").doesNotContain("U2VjcmV0");
            assertThat(e.getCause()).isNull();
          });
    }
  }

  /** A receiver written from the specification alone, with javax.crypto directly. */
  static final class IndependentVerifier {
    static boolean verify(String secret, Map<String, String> headers, byte[] body, Instant now) {
      try {
        String id = headers.get("webhook-id");
        String timestamp = headers.get("webhook-timestamp");
        if (Math.abs(now.getEpochSecond() - Long.parseLong(timestamp)) > 300) {
          return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
        byte[] expected = mac.doFinal(body);
        for (String candidate : headers.get("webhook-signature").split(" ")) {
          String[] parts = candidate.split(",", 2);
          if (parts.length == 2 && parts[0].equals("v1")
              && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  }
}
