package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spacecrab.notify.DestinationPolicy.Decision;
import io.spacecrab.notify.DestinationPolicy.Verdict;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DestinationPolicyTest {
  static final String SLACK_SECRET_PATH = "/services/T0AAAAAAA/B0BBBBBBB/XXXXXXXXXXXXXXXXXXXXXXXX";

  private final Map<String, InetAddress[]> dns = new HashMap<>();
  /** A DNS of fixed answers; IP literals are parsed as the system resolver parses them. */
  private final HostResolver resolver = host -> {
    if (host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c))) {
      return InetAddress.getAllByName(host);
    }
    InetAddress[] answer = dns.get(host);
    if (answer == null) {
      throw new UnknownHostException(host);
    }
    return answer;
  };

  @Test
  void allowsHttpsToAPublicAddress() throws Exception {
    dns.put("hooks.slack.com", new InetAddress[] {ip("34.226.36.50")});

    Decision decision = policy(false).check(URI.create("https://hooks.slack.com" + SLACK_SECRET_PATH));

    assertThat(decision.verdict()).isEqualTo(Verdict.ALLOWED);
    assertThat(decision.allowed()).isTrue();
  }

  @Test
  void refusesPlainHttpUnlessAllowedAndEveryOtherScheme() throws Exception {
    dns.put("example.com", new InetAddress[] {ip("93.184.216.34")});

    assertThat(policy(false).check(URI.create("http://example.com/x")).reason())
        .isEqualTo("plain http is not allowed for http://example.com: use https");
    assertThat(policy(true).check(URI.create("http://example.com/x")).allowed()).isTrue();
    assertThat(policy(true).check(URI.create("ftp://example.com/x")).verdict())
        .isEqualTo(Verdict.REFUSED);
    assertThat(policy(true).check(URI.create("file:///etc/passwd")).verdict())
        .isEqualTo(Verdict.REFUSED);
  }

  @Test
  void refusesLoopbackLinkLocalPrivateUnspecifiedMulticastAndMetadataAddresses() {
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("127.0.0.1", "loopback");
    expected.put("127.10.0.1", "loopback");
    expected.put("0.0.0.0", "unspecified");
    expected.put("169.254.169.254", "link-local (cloud metadata)");
    expected.put("169.254.10.1", "link-local");
    expected.put("10.1.2.3", "private");
    expected.put("172.16.0.1", "private");
    expected.put("172.31.255.255", "private");
    expected.put("192.168.1.1", "private");
    expected.put("100.64.0.1", "shared (carrier-grade NAT)");
    expected.put("224.0.0.1", "multicast");
    expected.put("255.255.255.255", "reserved");
    expected.put("::1", "loopback");
    expected.put("::", "unspecified");
    expected.put("fe80::1", "link-local");
    expected.put("febf:ffff::1", "link-local");
    expected.put("fc00::1", "private");
    expected.put("fd00:ec2::254", "private (cloud metadata)");
    expected.put("ff02::1", "multicast");
    DestinationPolicy policy = policy(false);
    expected.forEach((address, category) -> {
      String url = "https://" + (address.contains(":") ? "[" + address + "]" : address) + "/hook";
      Decision decision = policy.check(URI.create(url));
      assertThat(decision.verdict()).as(address).isEqualTo(Verdict.REFUSED);
      assertThat(decision.reason()).as(address).contains(" resolves to " + category + " address");
    });
  }

  @Test
  void allowsAddressesJustOutsideTheRefusedRanges() {
    DestinationPolicy policy = policy(false);
    for (String address : List.of("172.15.255.255", "172.32.0.1", "169.253.255.255",
        "100.128.0.1", "11.0.0.1", "2600:1f18::1")) {
      String url = "https://" + (address.contains(":") ? "[" + address + "]" : address) + "/";
      assertThat(policy.check(URI.create(url)).verdict()).as(address).isEqualTo(Verdict.ALLOWED);
    }
  }

  @Test
  void refusesIpv4EmbeddedInIpv6() throws Exception {
    dns.put("mapped.example", new InetAddress[] {v6("::ffff:169.254.169.254")});
    dns.put("compatible.example", new InetAddress[] {v6("::127.0.0.1")});
    dns.put("nat64.example", new InetAddress[] {v6("64:ff9b::a00:1")});
    dns.put("sixtofour.example", new InetAddress[] {v6("2002:c0a8:101::1")});

    for (String host : dns.keySet()) {
      Decision decision = policy(false).check(URI.create("https://" + host + "/"));
      assertThat(decision.verdict()).as(host).isEqualTo(Verdict.REFUSED);
      assertThat(decision.reason()).as(host).contains("IPv4 embedded in IPv6");
    }
    assertThat(policy(false).check(URI.create("https://[::ffff:127.0.0.1]/")).verdict())
        .isEqualTo(Verdict.REFUSED);
  }

  @Test
  void refusesANameWhenAnyOfItsAddressesIsInternal() throws Exception {
    dns.put("rebind.example", new InetAddress[] {ip("93.184.216.34"), ip("169.254.169.254")});

    Decision decision = policy(false).check(URI.create("https://rebind.example/hook"));

    assertThat(decision.verdict()).isEqualTo(Verdict.REFUSED);
    assertThat(decision.reason()).isEqualTo("https://rebind.example resolves to link-local"
        + " (cloud metadata) address 169.254.169.254; allow-list it to send there");
  }

  @Test
  void decimalAndShortIpv4FormsOfLoopbackAreNotAllowed() {
    assertThat(new DestinationPolicy(false, List.of()).check(URI.create("https://2130706433/"))
        .allowed()).isFalse();
    assertThat(new DestinationPolicy(false, List.of()).check(URI.create("https://127.1/"))
        .allowed()).isFalse();
    assertThat(new DestinationPolicy(false, List.of()).check(URI.create("https://localhost/"))
        .allowed()).isFalse();
  }

  @Test
  void allowListedBlocksAndHostsAreAllowedDespiteTheirRange() throws Exception {
    dns.put("receiver.monitoring.svc", new InetAddress[] {ip("10.96.0.20")});
    dns.put("other.monitoring.svc", new InetAddress[] {ip("10.96.0.21")});
    DestinationPolicy policy = new DestinationPolicy(true,
        List.of("127.0.0.1", "10.96.0.20/32", "Alertmanager.Monitoring.svc", "fd00::/8"), resolver);
    dns.put("alertmanager.monitoring.svc", new InetAddress[] {ip("10.96.0.99")});

    assertThat(policy.check(URI.create("http://127.0.0.1:8080/hook")).allowed()).isTrue();
    assertThat(policy.check(URI.create("http://127.0.0.2/hook")).allowed()).isFalse();
    assertThat(policy.check(URI.create("https://receiver.monitoring.svc/")).allowed()).isTrue();
    assertThat(policy.check(URI.create("https://other.monitoring.svc/")).allowed()).isFalse();
    assertThat(policy.check(URI.create("https://alertmanager.monitoring.svc./")).allowed())
        .isTrue();
    assertThat(policy.check(URI.create("https://[fd12::1]/")).allowed()).isTrue();
  }

  @Test
  void unresolvableHostIsNotRefusedForGoodButMayResolveLater() {
    Decision decision = policy(false).check(URI.create("https://nowhere.example" + SLACK_SECRET_PATH));

    assertThat(decision.verdict()).isEqualTo(Verdict.UNRESOLVED);
    assertThat(decision.reason()).isEqualTo("https://nowhere.example does not resolve");
  }

  @Test
  void refusesUserInfoAndUrlsWithoutHost() {
    assertThat(policy(false).check(URI.create("https://user:pa55word@example.com/")).reason())
        .doesNotContain("pa55word").contains("user info");
    assertThat(policy(false).check(URI.create("https:///path")).verdict())
        .isEqualTo(Verdict.REFUSED);
  }

  @Test
  void reasonsNeverContainThePathQueryOrUserInfo() throws Exception {
    dns.put("hooks.slack.com", new InetAddress[] {ip("10.0.0.1")});
    List<String> urls = List.of(
        "https://hooks.slack.com" + SLACK_SECRET_PATH + "?token=QUERYSECRET#FRAGSECRET",
        "http://hooks.slack.com" + SLACK_SECRET_PATH,
        "https://nowhere.example" + SLACK_SECRET_PATH,
        "gopher://hooks.slack.com" + SLACK_SECRET_PATH,
        "https://USERSECRET:PWSECRET@hooks.slack.com" + SLACK_SECRET_PATH);

    for (String url : urls) {
      String reason = policy(false).check(URI.create(url)).reason();
      assertThat(reason).as(url).doesNotContain("XXXXXXXX").doesNotContain("services")
          .doesNotContain("QUERYSECRET").doesNotContain("FRAGSECRET")
          .doesNotContain("USERSECRET").doesNotContain("PWSECRET");
    }
  }

  @Test
  void rejectsAllowListEntriesThatAreNeitherHostsNorBlocks() {
    assertThatThrownBy(() -> new DestinationPolicy(false, List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DestinationPolicy(false, List.of("*.example.com")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DestinationPolicy(false, List.of("example.com/24")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private DestinationPolicy policy(boolean allowHttp) {
    return new DestinationPolicy(allowHttp, List.of(), resolver);
  }

  private static InetAddress ip(String literal) throws UnknownHostException {
    return InetAddress.getByName(literal);
  }

  /** An IPv6 address object even for IPv4-mapped text (which InetAddress would turn into IPv4). */
  private static InetAddress v6(String literal) throws UnknownHostException {
    byte[] bytes = InetAddress.getByName(literal).getAddress();
    if (bytes.length == 4) {
      bytes = AddressBlock.mapped(bytes);
    }
    return Inet6Address.getByAddress(null, bytes, null);
  }
}
