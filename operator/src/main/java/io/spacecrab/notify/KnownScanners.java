package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertCaller;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.KnownScanner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An AlertSink's {@code knownScanners} rules, ready to match: a call is a known scanner's when
 * its source address lies in one of a rule's blocks AND its user agent contains one of the rule's
 * texts. Evaluated at delivery, per sink, on the alert's exact calls per (address, user agent)
 * pair: an incident is suppressed for the sink only when those pairs account for every one of its
 * calls and each of them matches a rule, so no call that does not match can hide behind one that
 * does. Invalid rules suppress nothing.
 */
final class KnownScanners {
  /** Rules that match nothing. */
  static final KnownScanners NONE = new KnownScanners(List.of());
  static final int MIN_PREFIX_V4 = 8;
  static final int MIN_PREFIX_V6 = 16;

  private final List<Rule> rules;

  private KnownScanners(List<Rule> rules) {
    this.rules = rules;
  }

  private record Rule(String name, List<AddressBlock> blocks, List<String> agents) {
    boolean matches(byte[] address, String userAgent) {
      String agent = userAgent.toLowerCase(Locale.ROOT);
      return blocks.stream().anyMatch(b -> b.contains(address)) && agents.stream().anyMatch(agent::contains);
    }
  }

  /**
   * The calls a sink's rules suppress in one incident.
   *
   * @param calls calls that matched a rule (exact)
   * @param all true when every call of the incident matched: the sink is told nothing
   * @param callers the matching (address, user agent) pairs with their rule and calls
   */
  record Suppression(long calls, boolean all, List<AlertView.ScannerCalls> callers) {
    /** Names of the rules that matched, in the order of the sink's rules' first match. */
    List<String> rules() {
      Set<String> names = new LinkedHashSet<>();
      callers.forEach(c -> names.add(c.rule()));
      return List.copyOf(names);
    }
  }

  /** The sink's rules; {@link #NONE} when it has none or when any is invalid ({@link #problems}). */
  static KnownScanners of(AlertSinkSpec spec) {
    List<KnownScanner> declared = spec == null || spec.getKnownScanners() == null ? List.of()
        : spec.getKnownScanners();
    if (declared.isEmpty() || !problems(declared).isEmpty()) {
      return NONE;
    }
    List<Rule> rules = new ArrayList<>();
    for (KnownScanner k : declared) {
      rules.add(new Rule(k.getName(), k.getCidrs().stream().map(c -> AddressBlock.parse(c.strip())).toList(),
          k.getUserAgents().stream().map(a -> a.toLowerCase(Locale.ROOT)).toList()));
    }
    return new KnownScanners(List.copyOf(rules));
  }

  /** What is wrong with these rules, one sentence fragment per problem, naming the rule; empty when nothing. */
  static List<String> problems(List<KnownScanner> declared) {
    List<String> problems = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < declared.size(); i++) {
      KnownScanner k = declared.get(i);
      String where = "spec.knownScanners[" + i + "]";
      if (k == null) {
        problems.add(where + " is empty");
        continue;
      }
      if (k.getName() == null || k.getName().isBlank()) {
        problems.add(where + " has no name");
      } else {
        where += " (" + CleanText.lineOrDash(k.getName(), 63) + ")";
        if (!names.add(k.getName())) {
          problems.add(where + ": the name is used by another rule");
        }
      }
      List<String> cidrs = k.getCidrs() == null ? List.of() : k.getCidrs();
      if (cidrs.isEmpty()) {
        problems.add(where + ": cidrs names no address block (a rule needs both cidrs and userAgents)");
      }
      for (String cidr : cidrs) {
        if (cidr == null) {
          problems.add(where + ": a cidrs entry is empty");
          continue;
        }
        try {
          AddressBlock block = AddressBlock.parse(cidr.strip());
          int min = block.network().length == 4 ? MIN_PREFIX_V4 : MIN_PREFIX_V6;
          if (block.prefixLength() < min) {
            problems.add(where + ": " + CleanText.lineOrDash(cidr, 60) + " is wider than /" + min
                + " (name the scanner's own addresses)");
          }
        } catch (IllegalArgumentException e) {
          problems.add(where + ": " + CleanText.lineOrDash(e.getMessage(), 120));
        }
      }
      List<String> agents = k.getUserAgents() == null ? List.of() : k.getUserAgents();
      if (agents.isEmpty()) {
        problems.add(where + ": userAgents names no user agent (a rule needs both cidrs and userAgents)");
      } else if (agents.stream().anyMatch(a -> a == null || a.isBlank())) {
        problems.add(where + ": a userAgents entry is blank (it would match every user agent)");
      }
    }
    return problems;
  }

  /** The first rule (in the sink's order) that the call matches; empty when none. */
  Optional<String> match(String sourceIp, String userAgent) {
    if (rules.isEmpty() || sourceIp == null || userAgent == null || !AddressBlock.isIpLiteral(sourceIp)) {
      return Optional.empty();
    }
    byte[] address;
    try {
      address = InetAddress.getByName(sourceIp).getAddress(); // a literal: never a DNS lookup
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    for (Rule r : rules) {
      if (r.matches(address, userAgent)) {
        return Optional.of(r.name());
      }
    }
    return Optional.empty();
  }

  /**
   * Which calls of the incident these rules suppress. All of them only when the alert's callers
   * list is complete (not capped) and accounts for the whole eventCount; an alert written before
   * it kept callers, or with more pairs than it keeps, is never wholly suppressed.
   */
  Suppression evaluate(HoneyTokenAlertSpec spec) {
    if (rules.isEmpty() || spec.getCallers() == null) {
      return new Suppression(0, false, List.of());
    }
    long matched = 0;
    long listed = 0;
    List<AlertView.ScannerCalls> callers = new ArrayList<>();
    for (AlertCaller c : spec.getCallers()) {
      if (c == null || c.getCalls() == null) {
        continue;
      }
      listed += c.getCalls();
      Optional<String> rule = match(c.getSourceIP(), c.getUserAgent());
      if (rule.isPresent()) {
        matched += c.getCalls();
        callers.add(new AlertView.ScannerCalls(rule.get(), c.getSourceIP(), c.getUserAgent(), c.getCalls()));
      }
    }
    long count = spec.getEventCount() == null ? 0 : spec.getEventCount();
    boolean complete = spec.getCappedLists() == null || !spec.getCappedLists().contains("callers");
    boolean all = count > 0 && complete && listed == count && matched == count;
    return new Suppression(matched, all, List.copyOf(callers));
  }

  /** True when there are rules to match. */
  boolean any() {
    return !rules.isEmpty();
  }
}
