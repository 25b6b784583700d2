package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.v1alpha1.AlertCaller;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.KnownScanner;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which calls an AlertSink's knownScanners rules suppress: address AND user agent, every call accounted for. */
class KnownScannersTest {
  static final String TRUFFLEHOG = "TruffleHog/3.63.2 (+https://github.com/trufflesecurity/trufflehog)";

  final KnownScanners scanners = KnownScanners.of(sink(rule("trufflehog-ci", List.of("192.0.2.0/28", "2001:db8:5::/48"),
      List.of("trufflehog")), rule("gitguardian", List.of("198.51.100.77"), List.of("GitGuardian"))));

  @Test
  void aCallMatchesWhenItsAddressAndItsUserAgentBothMatchOneRule() {
    assertThat(scanners.match("192.0.2.5", TRUFFLEHOG)).hasValue("trufflehog-ci");
    assertThat(scanners.match("2001:db8:5::17", TRUFFLEHOG)).hasValue("trufflehog-ci");
    assertThat(scanners.match("198.51.100.77", "GitGuardian-Validator/1.0")).hasValue("gitguardian");
    assertThat(scanners.match("192.0.2.5", "aws-cli/2.15.0")).as("the scanner's address, another agent").isEmpty();
    assertThat(scanners.match("192.0.2.99", TRUFFLEHOG)).as("the scanner's agent, another address").isEmpty();
    assertThat(scanners.match("198.51.100.77", TRUFFLEHOG)).as("address of one rule, agent of another").isEmpty();
    assertThat(scanners.match("health.amazonaws.com", TRUFFLEHOG)).as("a service, not an address").isEmpty();
    assertThat(scanners.match(null, TRUFFLEHOG)).isEmpty();
  }

  @Test
  void anIncidentIsWhollySuppressedOnlyWhenEveryCallIsAKnownScanners() {
    HoneyTokenAlertSpec onlyScanner = alert(2, new AlertCaller("192.0.2.5", TRUFFLEHOG, 2));
    assertThat(scanners.evaluate(onlyScanner)).satisfies(s -> {
      assertThat(s.all()).isTrue();
      assertThat(s.calls()).isEqualTo(2);
      assertThat(s.rules()).containsExactly("trufflehog-ci");
    });

    HoneyTokenAlertSpec withAttacker = alert(3, new AlertCaller("192.0.2.5", TRUFFLEHOG, 2),
        new AlertCaller("203.0.113.7", "aws-cli/2.15.0", 1));
    assertThat(scanners.evaluate(withAttacker)).satisfies(s -> {
      assertThat(s.all()).isFalse();
      assertThat(s.calls()).isEqualTo(2);
      assertThat(s.callers()).containsExactly(new AlertView.ScannerCalls("trufflehog-ci", "192.0.2.5", TRUFFLEHOG, 2));
    });

    HoneyTokenAlertSpec sameAddressOtherAgent = alert(1, new AlertCaller("192.0.2.5", "aws-cli/2.15.0", 1));
    assertThat(scanners.evaluate(sameAddressOtherAgent)).satisfies(s -> {
      assertThat(s.all()).isFalse();
      assertThat(s.calls()).isZero();
    });
  }

  /** Calls the alert could not list per (address, agent) pair are not known to be a scanner's: they page. */
  @Test
  void callsTheAlertDoesNotAccountForAreNeverSuppressed() {
    HoneyTokenAlertSpec capped = alert(25, new AlertCaller("192.0.2.5", TRUFFLEHOG, 25));
    capped.setCappedLists(List.of("callers"));
    assertThat(scanners.evaluate(capped).all()).as("more pairs were seen than listed").isFalse();

    HoneyTokenAlertSpec older = alert(3, new AlertCaller("192.0.2.5", TRUFFLEHOG, 2));
    assertThat(scanners.evaluate(older).all()).as("a call the list does not hold (an older alert)").isFalse();

    HoneyTokenAlertSpec none = alert(2);
    none.setCallers(null);
    assertThat(scanners.evaluate(none).all()).isFalse();
    assertThat(KnownScanners.NONE.evaluate(alert(2, new AlertCaller("192.0.2.5", TRUFFLEHOG, 2))).all()).isFalse();
  }

  @Test
  void badRulesAreNamedAndSuppressNothing() {
    List<KnownScanner> rules = List.of(rule("trufflehog", List.of("192.0.2.0/33"), List.of("TruffleHog")),
        rule("wide", List.of("0.0.0.0/0"), List.of("x")), rule("", List.of("192.0.2.1"), List.of("x")),
        rule("blank-agent", List.of("192.0.2.1"), List.of(" ")), rule("wide", List.of("fe80::/8"), List.of()),
        rule("no-cidr", List.of(), List.of("x")));
    assertThat(KnownScanners.problems(rules)).containsExactly(
        "spec.knownScanners[0] (trufflehog): prefix length out of range: 192.0.2.0/33",
        "spec.knownScanners[1] (wide): 0.0.0.0/0 is wider than /8 (name the scanner's own addresses)",
        "spec.knownScanners[2] has no name",
        "spec.knownScanners[3] (blank-agent): a userAgents entry is blank (it would match every user agent)",
        "spec.knownScanners[4] (wide): the name is used by another rule",
        "spec.knownScanners[4] (wide): fe80::/8 is wider than /16 (name the scanner's own addresses)",
        "spec.knownScanners[4] (wide): userAgents names no user agent (a rule needs both cidrs and userAgents)",
        "spec.knownScanners[5] (no-cidr): cidrs names no address block (a rule needs both cidrs and userAgents)");
    KnownScanners invalid = KnownScanners.of(sink(rule("trufflehog", List.of("192.0.2.0/33"), List.of("TruffleHog")),
        rule("ok", List.of("192.0.2.0/28"), List.of("TruffleHog"))));
    assertThat(invalid.any()).isFalse();
    assertThat(invalid.match("192.0.2.5", TRUFFLEHOG)).isEmpty();
  }

  static HoneyTokenAlertSpec alert(long count, AlertCaller... callers) {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setEventCount(count);
    spec.setCallers(new ArrayList<>(List.of(callers)));
    return spec;
  }

  static KnownScanner rule(String name, List<String> cidrs, List<String> agents) {
    KnownScanner k = new KnownScanner();
    k.setName(name);
    k.setCidrs(cidrs);
    k.setUserAgents(agents);
    return k;
  }

  static AlertSinkSpec sink(KnownScanner... rules) {
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setKnownScanners(List.of(rules));
    return spec;
  }
}
