package io.spacecrab.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Where alerts may be sent (the SSRF guard). A destination is allowed when its scheme is
 * {@code https} ({@code http} only with {@code allowHttp}), it carries no user info, and either
 * its host is on the allow-list or every address it resolves to is public or inside an
 * allow-listed block. Refused ranges: unspecified, loopback, link-local (cloud metadata
 * included), private and unique-local, shared (CGNAT), multicast and reserved, also when
 * embedded in IPv6 (IPv4-mapped, IPv4-compatible, NAT64, 6to4). Reasons name the scheme and
 * host only: never the path or query, which can be a secret (a Slack webhook URL is one).
 */
public final class DestinationPolicy {
  private static final List<Range> REFUSED = List.of(
      new Range("0.0.0.0/8", "unspecified"),
      new Range("127.0.0.0/8", "loopback"),
      new Range("169.254.0.0/16", "link-local"),
      new Range("10.0.0.0/8", "private"),
      new Range("172.16.0.0/12", "private"),
      new Range("192.168.0.0/16", "private"),
      new Range("100.64.0.0/10", "shared (carrier-grade NAT)"),
      new Range("192.0.0.0/24", "reserved"),
      new Range("198.18.0.0/15", "reserved"),
      new Range("224.0.0.0/4", "multicast"),
      new Range("240.0.0.0/4", "reserved"),
      new Range("::/128", "unspecified"),
      new Range("::1/128", "loopback"),
      new Range("fe80::/10", "link-local"),
      new Range("fec0::/10", "private"),
      new Range("fc00::/7", "private"),
      new Range("ff00::/8", "multicast"));

  private static final Set<String> METADATA = Set.of("169.254.169.254", "169.254.170.2",
      "169.254.170.23", "fd00:ec2:0:0:0:0:0:254", "fd00:ec2:0:0:0:0:0:23");

  private final boolean allowHttp;
  private final List<String> allowedHosts = new ArrayList<>();
  private final List<AddressBlock> allowedBlocks = new ArrayList<>();
  private final HostResolver resolver;

  /**
   * @param allowHttp accept plain {@code http} (tests on loopback); https is always accepted
   * @param allowList host names (exact, case-insensitive) and IP addresses or CIDR blocks that
   *     are allowed although they are loopback, link-local or private
   */
  public DestinationPolicy(boolean allowHttp, List<String> allowList, HostResolver resolver) {
    this.allowHttp = allowHttp;
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    for (String entry : allowList) {
      add(entry == null ? "" : entry.strip(), allowedHosts, allowedBlocks);
    }
  }

  /**
   * What is wrong with an allow-list, one sentence per bad entry (the entry shown, cut short);
   * empty when {@link #DestinationPolicy(boolean, List)} accepts it.
   */
  public static List<String> problems(List<String> allowList) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < allowList.size(); i++) {
      String entry = allowList.get(i) == null ? "" : allowList.get(i).strip();
      try {
        add(entry, new ArrayList<>(), new ArrayList<>());
      } catch (IllegalArgumentException e) {
        problems.add("entry " + i + " '" + CleanText.line(entry, 100) + "' is neither a host name nor an IP address "
            + "or CIDR block");
      }
    }
    return problems;
  }

  private static void add(String e, List<String> hosts, List<AddressBlock> blocks) {
    if (e.isEmpty()) {
      return;
    }
    if (AddressBlock.isIpLiteral(e.contains("/") ? e.substring(0, e.indexOf('/')) : e)) {
      blocks.add(AddressBlock.parse(e));
    } else if (e.contains("/") || !e.matches("[A-Za-z0-9.-]+")) {
      throw new IllegalArgumentException(
          "allow-list entry is neither a host name nor an IP address or CIDR block: " + e);
    } else {
      hosts.add(hostKey(e));
    }
  }

  /** The policy with the system resolver. */
  public DestinationPolicy(boolean allowHttp, List<String> allowList) {
    this(allowHttp, allowList, HostResolver.SYSTEM);
  }

  /** HTTPS to public addresses only: the default. */
  public static DestinationPolicy publicHttpsOnly() {
    return new DestinationPolicy(false, List.of());
  }

  /** The verdict on one destination. */
  public enum Verdict {
    ALLOWED,
    /** Not allowed: sending would never become right without a configuration change. */
    REFUSED,
    /** The host did not resolve now; it may later. */
    UNRESOLVED
  }

  /**
   * A decision and its reason.
   *
   * @param reason a sentence naming at most the scheme and host of the destination
   * @param addresses the addresses checked (empty when refused before resolving)
   */
  public record Decision(Verdict verdict, String reason, List<InetAddress> addresses) {
    /** True when sending is allowed. */
    public boolean allowed() {
      return verdict == Verdict.ALLOWED;
    }
  }

  /** Decides on the URL, resolving its host now (call it right before connecting). */
  public Decision check(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("https") && !scheme.equals("http")) {
      return refuse(scheme.isEmpty() ? "the URL has no scheme: use https"
          : "scheme " + CleanText.line(scheme, 16) + " is not allowed: use https");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      return refuse("the URL has no host");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String label = CleanText.line(scheme, 16) + "://" + CleanText.line(host, 253);
    if (scheme.equals("http") && !allowHttp) {
      return refuse("plain http is not allowed for " + label + ": use https");
    }
    if (uri.getRawUserInfo() != null) {
      return refuse("the URL for " + label + " contains user info; keep credentials out of URLs");
    }
    if (allowedHosts.contains(hostKey(host))) {
      return new Decision(Verdict.ALLOWED, label + " is allow-listed", List.of());
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException | SecurityException e) {
      return new Decision(Verdict.UNRESOLVED, label + " does not resolve", List.of());
    }
    if (addresses == null || addresses.length == 0) {
      return new Decision(Verdict.UNRESOLVED, label + " does not resolve", List.of());
    }
    for (InetAddress address : addresses) {
      String category = refusedCategory(address);
      if (category != null && !isAllowListed(address)) {
        return new Decision(Verdict.REFUSED, label + " resolves to " + category + " address "
            + address.getHostAddress() + "; allow-list it to send there", List.of(addresses));
      }
    }
    return new Decision(Verdict.ALLOWED, label + " resolves to allowed addresses",
        List.of(addresses));
  }

  /** The kind of non-public range the address is in (looking inside IPv6 embeddings), or null. */
  static String refusedCategory(InetAddress address) {
    InetAddress inner = AddressBlock.embeddedIpv4(address);
    InetAddress checked = inner == null ? address : inner;
    for (Range range : REFUSED) {
      if (range.block().contains(checked)) {
        String what = range.category();
        if (METADATA.contains(checked.getHostAddress())) {
          what += " (cloud metadata)";
        }
        return inner == null ? what : what + " IPv4 embedded in IPv6";
      }
    }
    if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
      return "loopback";
    }
    return null;
  }

  private boolean isAllowListed(InetAddress address) {
    InetAddress inner = AddressBlock.embeddedIpv4(address);
    for (AddressBlock block : allowedBlocks) {
      if (block.contains(address) || (inner != null && block.contains(inner))) {
        return true;
      }
    }
    return false;
  }

  private static String hostKey(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }

  private static Decision refuse(String reason) {
    return new Decision(Verdict.REFUSED, reason, List.of());
  }

  @Override
  public String toString() {
    return "DestinationPolicy[allowHttp=" + allowHttp + ", allowList=" + allowedHosts + " "
        + allowedBlocks.size() + " blocks]";
  }

  private record Range(AddressBlock block, String category) {
    Range(String cidr, String category) {
      this(AddressBlock.parse(cidr), category);
    }
  }
}
