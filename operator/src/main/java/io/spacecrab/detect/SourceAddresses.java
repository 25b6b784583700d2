package io.spacecrab.detect;

import io.spacecrab.api.v1alpha1.SourceIPCalls;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The source addresses of one incident with their call counts, at most {@code max} of them, the
 * most used first. When a new address arrives and the list is full, the least used address is
 * displaced and the newcomer inherits its count plus one (the "space-saving" rule): counts are
 * exact until then and upper bounds after, and an address used in more than {@code 1/max} of the
 * calls is always kept, whatever the order of the calls. Not thread-safe.
 */
final class SourceAddresses {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[0-9A-Za-z._-]+)?");

  private final int max;
  private final LinkedHashMap<String, Long> calls = new LinkedHashMap<>();
  private boolean displaced;

  SourceAddresses(int max) {
    this.max = max;
  }

  /** The summary an alert holds; addresses listed without a count (older alerts) count once. */
  static SourceAddresses of(List<String> ips, List<SourceIPCalls> counted, int max) {
    SourceAddresses a = new SourceAddresses(max);
    if (counted != null) {
      for (SourceIPCalls c : counted) {
        if (c != null && c.getSourceIP() != null && a.calls.size() < max) {
          a.calls.merge(c.getSourceIP(), c.getCalls() == null ? 1L : Math.max(1L, c.getCalls()), Long::sum);
        }
      }
    }
    if (ips != null) {
      for (String ip : ips) {
        if (ip != null && isIpAddress(ip) && !a.calls.containsKey(ip) && a.calls.size() < max) {
          a.calls.put(ip, 1L);
        }
      }
    }
    return a;
  }

  /**
   * True for an IPv4 or IPv6 literal; false for what AWS writes instead of an address when a
   * service calls ({@code health.amazonaws.com}, {@code AWS Internal}). Never resolves a name.
   */
  static boolean isIpAddress(String text) {
    return text != null && (IPV4.matcher(text).matches() || IPV6.matcher(text).matches());
  }

  /** Counts one call from {@code ip}; returns false when it displaced another address. */
  boolean add(String ip) {
    return add(ip, 1);
  }

  /**
   * Counts {@code n} calls from {@code ip} (another incident's count, when incidents are joined);
   * returns false when it displaced another address, which leaves its count to the newcomer.
   */
  boolean add(String ip, long n) {
    Long current = calls.get(ip);
    if (current != null) {
      calls.put(ip, current + n);
      return true;
    }
    if (calls.size() < max) {
      calls.put(ip, n);
      return true;
    }
    Map.Entry<String, Long> least = null;
    for (Map.Entry<String, Long> e : calls.entrySet()) {
      if (least == null || e.getValue() < least.getValue()) {
        least = e;
      }
    }
    long inherited = least.getValue();
    calls.remove(least.getKey());
    calls.put(ip, inherited + n);
    displaced = true;
    return false;
  }

  /** True once an address was displaced: more addresses were seen than are listed. */
  boolean displaced() {
    return displaced;
  }

  /** The addresses, the most used first (ties: the one seen first). */
  List<String> ips() {
    return sorted().stream().map(Map.Entry::getKey).toList();
  }

  /** The addresses with their counts, in the order of {@link #ips()}. */
  List<SourceIPCalls> counts() {
    List<SourceIPCalls> result = new ArrayList<>();
    for (Map.Entry<String, Long> e : sorted()) {
      result.add(new SourceIPCalls(e.getKey(), e.getValue()));
    }
    return result;
  }

  private List<Map.Entry<String, Long>> sorted() {
    List<Map.Entry<String, Long>> entries = new ArrayList<>(calls.entrySet());
    entries.sort(Comparator.comparing(Map.Entry<String, Long>::getValue).reversed());
    return entries;
  }
}
