package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.SecretKeyRef;
import io.spacecrab.api.v1alpha1.SinkType;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What makes an AlertSink unusable, decided without DNS and told without secrets. */
class SinkValidationTest {
  static final String SIGNING = AlertDeliveryTest.SIGNING;
  /** Over the operator's sink types; nothing is sent, so no HTTP client is ever made. */
  static final SinkValidation VALIDATION = new SinkValidation(
      new SinkDispatcher((from, to, subject, body) -> "id", OutboundLimits.DEFAULTS, Clock.systemUTC()));

  @Test
  void destinationsThatCanNeverWorkAreCaughtWithoutLeakingTheUrl() {
    Map<String, String> bad = Map.of(
        "http://169.254.169.254/latest/meta-data/", "link-local (cloud metadata)",
        "https://[fd00:ec2::254]/latest/", "cloud metadata",
        "https://[::ffff:169.254.169.254]/x", "link-local (cloud metadata)",
        "file:///etc/passwd", "scheme file is not allowed",
        "gopher://internal/x", "scheme gopher is not allowed",
        "https://user:pa55@hooks.example.com/path", "contains user info",
        "https://10.1.2.3/inbound", "private",
        "hooks.example.com/path", "no scheme",
        "https://hooks.example.com/a b", "not a valid URL",
        "https:///nohost", "no host");
    bad.forEach((url, why) -> {
      Optional<SinkValidation.Problem> problem = check(spec(SinkType.webhook, true, List.of()),
          Map.of("url", url, "signingSecret", SIGNING));
      assertThat(problem).as(url).hasValueSatisfying(p -> {
        assertThat(p.reason()).isEqualTo("InvalidDestination");
        assertThat(p.message()).contains(why).startsWith("Secret hook-secret, key url: ")
            .doesNotContain("meta-data", "passwd", "pa55", "user:", "/path", "/inbound", "/latest", "a b");
      });
    });
  }

  @Test
  void httpNeedsAllowHttpAndPrivateAddressesNeedTheAllowList() {
    assertThat(check(spec(SinkType.slack, false, List.of()), Map.of("webhookUrl", "http://hooks.example.com/x")))
        .hasValueSatisfying(p -> assertThat(p.message()).contains("plain http is not allowed for http://hooks.example.com"));
    assertThat(check(spec(SinkType.slack, true, List.of("10.0.0.0/8")), Map.of("webhookUrl", "http://10.1.2.3/x")))
        .isEmpty();
    assertThat(check(spec(SinkType.slack, false, List.of("169.254.169.254")),
        Map.of("webhookUrl", "https://169.254.169.254/x"))).as("an explicit allow-list entry wins").isEmpty();
    // a host name is resolved at each send, not here
    assertThat(check(spec(SinkType.slack, false, List.of()), Map.of("webhookUrl", "https://localhost/x"))).isEmpty();
  }

  @Test
  void specProblemsComeFirstAndNameTheBadEntry() {
    assertThat(check(spec(SinkType.webhook, true, List.of("127.0.0.1", "10.0.0.0/33", "exa mple")),
        Map.of("url", "https://hooks.example.com/x", "signingSecret", SIGNING)))
        .hasValueSatisfying(p -> {
          assertThat(p.reason()).isEqualTo("InvalidSpec");
          assertThat(p.message()).isEqualTo("spec.allowDestinations: entry 1 '10.0.0.0/33' is neither a host name nor "
              + "an IP address or CIDR block; entry 2 'exa mple' is neither a host name nor an IP address or CIDR "
              + "block.");
        });
    AlertSinkSpec pagerDuty = spec(SinkType.pagerduty, false, List.of());
    pagerDuty.setEndpoint("http://169.254.169.254/v2/enqueue");
    assertThat(check(pagerDuty, Map.of("routingKey", "R0UTING"))).hasValueSatisfying(p -> {
      assertThat(p.reason()).isEqualTo("InvalidDestination");
      assertThat(p.message()).startsWith("spec.endpoint: plain http is not allowed for http://169.254.169.254");
    });
    AlertSinkSpec email = spec(SinkType.email, false, List.of());
    assertThat(check(email, Map.of("from", "a@example.com"))).hasValueSatisfying(p ->
        assertThat(p).isEqualTo(new SinkValidation.Problem("InvalidSpec", "spec.to names no recipient.")));
  }

  @Test
  void secretsAreCheckedForPresenceKeysAndSigningSecrets() {
    AlertSinkSpec webhook = spec(SinkType.webhook, false, List.of());
    assertThat(VALIDATION.check(webhook, "alerts", null)).hasValue(new SinkValidation.Problem("SecretMissing",
        "Secret hook-secret does not exist in namespace alerts."));
    assertThat(check(webhook, Map.of("url", "https://hooks.example.com/x"))).hasValue(new SinkValidation.Problem(
        "SecretKeyMissing", "Secret hook-secret lacks signingSecret (needed for type webhook)."));
    assertThat(check(webhook, Map.of("url", "https://hooks.example.com/x", "signingSecret", "whsec_c2hvcnQ=")))
        .hasValueSatisfying(p -> {
          assertThat(p.reason()).isEqualTo("InvalidSecret");
          assertThat(p.message()).contains("signing secret #1 decodes to 5 bytes").doesNotContain("c2hvcnQ");
        });
    assertThat(check(webhook, Map.of("url", "https://hooks.example.com/x", "signingSecret", SIGNING,
        "previousSigningSecret", "whsec_!!"))).hasValueSatisfying(p ->
        assertThat(p.message()).contains("signing secret #2 is not whsec_ followed by base64"));
    assertThat(check(webhook, Map.of("url", "https://hooks.example.com/x", "signingSecret", SIGNING))).isEmpty();
  }

  /** A bad knownScanners rule makes the sink not Ready, with the rule named, but does not stop delivery. */
  @Test
  void aBadKnownScannerRuleIsReportedWithoutStoppingDelivery() {
    AlertSinkSpec spec = spec(SinkType.webhook, false, List.of());
    spec.setKnownScanners(List.of(KnownScannersTest.rule("trufflehog-ci", List.of("192.0.2.0/28", "192.0.2.300/32"),
        List.of("TruffleHog"))));
    Map<String, String> secret = Map.of("url", "https://hooks.example.com/x", "signingSecret", SIGNING);
    assertThat(check(spec, secret)).as("what delivery checks").isEmpty();
    assertThat(readiness(spec, secret)).hasValue(new SinkValidation.Problem("InvalidKnownScanners",
        "spec.knownScanners[0] (trufflehog-ci): not an IP address or CIDR block: 192.0.2.300/32. Until this is fixed "
            + "the sink is notified of every call, known scanners' included."));
    spec.getKnownScanners().get(0).setCidrs(List.of("192.0.2.0/28"));
    assertThat(readiness(spec, secret)).isEmpty();
    assertThat(readiness(spec, Map.of("url", "https://hooks.example.com/x"))).as("delivery problems come first")
        .hasValueSatisfying(p -> assertThat(p.reason()).isEqualTo("SecretKeyMissing"));
  }

  static Optional<SinkValidation.Problem> readiness(AlertSinkSpec spec, Map<String, String> values) {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName("hook-secret").withNamespace("alerts")
        .endMetadata();
    values.forEach((k, v) -> b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes())));
    return VALIDATION.readiness(spec, "alerts", b.build());
  }

  static Optional<SinkValidation.Problem> check(AlertSinkSpec spec, Map<String, String> values) {
    SecretBuilder b = new SecretBuilder().withNewMetadata().withName("hook-secret").withNamespace("alerts")
        .endMetadata();
    values.forEach((k, v) -> b.addToData(k, Base64.getEncoder().encodeToString(v.getBytes())));
    Secret secret = b.build();
    return VALIDATION.check(spec, "alerts", secret);
  }

  static AlertSinkSpec spec(SinkType type, boolean allowHttp, List<String> allowList) {
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setType(type);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("hook-secret");
    spec.setSecretRef(ref);
    spec.setAllowHttp(allowHttp);
    spec.setAllowDestinations(allowList);
    return spec;
  }
}
