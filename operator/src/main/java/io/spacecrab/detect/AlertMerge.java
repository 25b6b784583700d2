package io.spacecrab.detect;

import io.spacecrab.api.Names;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.AlertCaller;
import io.spacecrab.api.v1alpha1.AlertEvent;
import io.spacecrab.api.v1alpha1.AlertSession;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.aws.RegistryRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Folds matched records into an incident's {@link HoneyTokenAlertSpec}: pure, idempotent by
 * eventID, bounded whatever an attacker does (every list at most {@link #MAX_DISTINCT} or
 * {@link #MAX_RECENT} entries, a list that reached its cap named in {@code cappedLists}).
 */
final class AlertMerge {
  static final int MAX_DISTINCT = 20;
  static final int MAX_RECENT = 20;
  static final int MAX_SEEN_IDS = 1000;
  static final String SOURCE_IPS = "sourceIPs";
  static final String CALLERS = "callers";
  static final String INVOKED_BY = "invokedBy";
  static final String USER_AGENTS = "userAgents";
  static final String EVENT_NAMES = "eventNames";
  static final String REGIONS = "regions";
  private static final List<String> LIST_ORDER = List.of(SOURCE_IPS, CALLERS, INVOKED_BY, USER_AGENTS,
      EVENT_NAMES, REGIONS);

  private AlertMerge() {}

  /**
   * Adds the records not yet counted; returns how many. A call an AWS service made on the
   * caller's behalf ({@code invokedBy}, or a service name instead of an address) counts in
   * {@code invokedBy}, not in the source addresses. Refreshes the token's description.
   */
  static int merge(HoneyTokenAlertSpec spec, RegistryRecord token, List<TokenMatch> matches) {
    LinkedHashSet<String> seen = new LinkedHashSet<>(listOf(spec.getSeenEventIDs()));
    Set<String> capped = new LinkedHashSet<>(listOf(spec.getCappedLists()));
    List<String> invokedBy = new ArrayList<>(listOf(spec.getInvokedBy()));
    for (String ip : listOf(spec.getSourceIPs())) {
      if (ip != null && !SourceAddresses.isIpAddress(ip)) {
        addDistinct(invokedBy, ip, INVOKED_BY, capped); // written before services were told apart
      }
    }
    SourceAddresses addresses = SourceAddresses.of(spec.getSourceIPs(), spec.getSourceIPCalls(), MAX_DISTINCT);
    List<AlertCaller> callers = new ArrayList<>(listOf(spec.getCallers()));
    List<String> userAgents = new ArrayList<>(listOf(spec.getUserAgents()));
    List<String> eventNames = new ArrayList<>(listOf(spec.getEventNames()));
    List<String> regions = new ArrayList<>(listOf(spec.getRegions()));
    List<AlertEvent> recent = new ArrayList<>(listOf(spec.getRecentEvents()));
    int added = 0;
    for (TokenMatch m : matches) {
      CloudTrailRecord r = m.record();
      String id = eventId(r);
      if (!seen.add(id)) {
        continue;
      }
      added++;
      Instant t = time(r);
      if (parse(spec.getFirstSeen()) == null || t.isBefore(parse(spec.getFirstSeen()))) {
        spec.setFirstSeen(t.toString());
      }
      if (parse(spec.getLastSeen()) == null || t.isAfter(parse(spec.getLastSeen()))) {
        spec.setLastSeen(t.toString());
      }
      String service = service(r);
      if (service != null) {
        addDistinct(invokedBy, service, INVOKED_BY, capped);
      } else if (r.sourceIpAddress() != null && !addresses.add(r.sourceIpAddress())) {
        capped.add(SOURCE_IPS);
      }
      addCalls(callers, r.sourceIpAddress(), r.userAgent(), 1, capped);
      addDistinct(userAgents, r.userAgent(), USER_AGENTS, capped);
      addDistinct(eventNames, eventName(r), EVENT_NAMES, capped);
      addDistinct(regions, r.awsRegion(), REGIONS, capped);
      recent.add(event(r, id, m.matchedBy()));
    }
    if (added == 0) {
      return 0;
    }
    List<String> ids = new ArrayList<>(seen);
    spec.setSeenEventIDs(ids.size() > MAX_SEEN_IDS ? ids.subList(ids.size() - MAX_SEEN_IDS, ids.size()) : ids);
    recent.sort(Comparator.comparing((AlertEvent e) -> time(e)));
    spec.setRecentEvents(recent.size() > MAX_RECENT
        ? new ArrayList<>(recent.subList(recent.size() - MAX_RECENT, recent.size())) : recent);
    spec.setSourceIPs(addresses.ips());
    spec.setSourceIPCalls(addresses.counts());
    spec.setCallers(callers);
    spec.setInvokedBy(invokedBy);
    spec.setUserAgents(userAgents);
    spec.setEventNames(eventNames);
    spec.setRegions(regions);
    spec.setCappedLists(capped.isEmpty() ? null
        : LIST_ORDER.stream().filter(capped::contains).toList());
    spec.setEventCount((spec.getEventCount() == null ? 0 : spec.getEventCount()) + added);
    spec.setAccessKeyId(token.accessKeyId());
    spec.setUserName(token.userName());
    spec.setCluster(token.cluster());
    spec.setOwner(token.owner());
    spec.setLocation(token.location());
    spec.setNotes(token.notes());
    spec.setTokenState(token.state().name());
    return added;
  }

  /**
   * Folds incident {@code from} into {@code into} (a use joined them): its eventIDs, count, times,
   * addresses with their counts, distinct lists, capped lists and recent calls; {@code into} names
   * it in {@code mergedIncidents}. Returns how many uses {@code into} gained. Idempotent by eventID:
   * folding the same incident again (a write that was cut off, a concurrent writer that added to
   * {@code from} meanwhile) adds only the uses {@code into} has not seen, and its address counts
   * only the first time. Leaves {@code from} unchanged.
   */
  static long absorb(HoneyTokenAlertSpec into, HoneyTokenAlertSpec from) {
    LinkedHashSet<String> seen = new LinkedHashSet<>(listOf(into.getSeenEventIDs()));
    List<String> fromSeen = listOf(from.getSeenEventIDs());
    long overlap = fromSeen.stream().filter(seen::contains).count();
    List<Integer> merged = new ArrayList<>(listOf(into.getMergedIncidents()));
    boolean again = from.getIncident() != null && merged.contains(from.getIncident());
    long fromCount = from.getEventCount() == null ? fromSeen.size() : from.getEventCount();
    long added = again ? fromSeen.size() - overlap : Math.max(0, fromCount - overlap);
    seen.addAll(fromSeen);
    List<String> ids = new ArrayList<>(seen);
    into.setSeenEventIDs(ids.size() > MAX_SEEN_IDS ? new ArrayList<>(ids.subList(ids.size() - MAX_SEEN_IDS,
        ids.size())) : ids);
    Instant first = parse(from.getFirstSeen());
    if (first != null && (parse(into.getFirstSeen()) == null || first.isBefore(parse(into.getFirstSeen())))) {
      into.setFirstSeen(first.toString());
    }
    Instant last = parse(from.getLastSeen());
    if (last != null && (parse(into.getLastSeen()) == null || last.isAfter(parse(into.getLastSeen())))) {
      into.setLastSeen(last.toString());
    }
    Set<String> capped = new LinkedHashSet<>(listOf(into.getCappedLists()));
    capped.addAll(listOf(from.getCappedLists()));
    if (!again) {
      SourceAddresses addresses = SourceAddresses.of(into.getSourceIPs(), into.getSourceIPCalls(), MAX_DISTINCT);
      SourceAddresses theirs = SourceAddresses.of(from.getSourceIPs(), from.getSourceIPCalls(), MAX_DISTINCT);
      for (var c : theirs.counts()) {
        if (!addresses.add(c.getSourceIP(), c.getCalls())) {
          capped.add(SOURCE_IPS);
        }
      }
      into.setSourceIPs(addresses.ips());
      into.setSourceIPCalls(addresses.counts());
      List<AlertCaller> callers = new ArrayList<>(listOf(into.getCallers()));
      for (AlertCaller c : listOf(from.getCallers())) {
        addCalls(callers, c.getSourceIP(), c.getUserAgent(), c.getCalls() == null ? 0 : c.getCalls(), capped);
      }
      into.setCallers(callers);
    }
    into.setInvokedBy(union(into.getInvokedBy(), from.getInvokedBy(), INVOKED_BY, capped));
    into.setUserAgents(union(into.getUserAgents(), from.getUserAgents(), USER_AGENTS, capped));
    into.setEventNames(union(into.getEventNames(), from.getEventNames(), EVENT_NAMES, capped));
    into.setRegions(union(into.getRegions(), from.getRegions(), REGIONS, capped));
    into.setCappedLists(capped.isEmpty() ? null : LIST_ORDER.stream().filter(capped::contains).toList());
    java.util.Map<String, AlertEvent> recent = new java.util.LinkedHashMap<>();
    for (AlertEvent e : listOf(into.getRecentEvents())) {
      recent.putIfAbsent(e.getEventID(), e);
    }
    for (AlertEvent e : listOf(from.getRecentEvents())) {
      recent.putIfAbsent(e.getEventID(), e);
    }
    List<AlertEvent> events = new ArrayList<>(recent.values());
    events.sort(Comparator.comparing((AlertEvent e) -> time(e)).thenComparing(e -> String.valueOf(e.getEventID())));
    into.setRecentEvents(events.size() > MAX_RECENT
        ? new ArrayList<>(events.subList(events.size() - MAX_RECENT, events.size())) : events);
    List<Integer> theirs = new ArrayList<>(listOf(from.getMergedIncidents()));
    theirs.add(from.getIncident());
    for (Integer n : theirs) {
      if (n != null && !merged.contains(n)) {
        merged.add(n);
      }
    }
    merged.sort(Comparator.naturalOrder());
    into.setMergedIncidents(merged.isEmpty() ? null : merged);
    into.setEventCount((into.getEventCount() == null ? 0 : into.getEventCount()) + added);
    return added;
  }

  /**
   * Counts {@code n} calls of one (address, user agent) pair; a pair not listed when the list is
   * full is refused (the list is named capped), so every listed count stays exact.
   */
  private static void addCalls(List<AlertCaller> callers, String ip, String agent, long n, Set<String> capped) {
    for (AlertCaller c : callers) {
      if (Objects.equals(c.getSourceIP(), ip) && Objects.equals(c.getUserAgent(), agent)) {
        c.setCalls((c.getCalls() == null ? 0 : c.getCalls()) + n);
        return;
      }
    }
    if (callers.size() < MAX_DISTINCT) {
      callers.add(new AlertCaller(ip, agent, n));
    } else {
      capped.add(CALLERS);
    }
  }

  private static List<String> union(List<String> mine, List<String> theirs, String name, Set<String> capped) {
    List<String> result = new ArrayList<>(listOf(mine));
    for (String value : listOf(theirs)) {
      addDistinct(result, value, name, capped);
    }
    return result;
  }

  /**
   * The AWS service that made this call on the caller's behalf: {@code userIdentity.invokedBy},
   * else the source "address" when it is a name ({@code health.amazonaws.com}, {@code AWS
   * Internal}); null for a call the caller made from an address of its own.
   */
  static String service(CloudTrailRecord r) {
    if (r.invokedBy() != null) {
      return r.invokedBy();
    }
    String source = r.sourceIpAddress();
    return source != null && !SourceAddresses.isIpAddress(source) ? source : null;
  }

  /** The record's eventID, or a stable id made of its content when CloudTrail gave none. */
  static String eventId(CloudTrailRecord r) {
    return r.eventId() != null ? r.eventId() : "x-" + Names.hash(r.eventTime() + "|" + r.eventSource() + "|"
        + r.eventName() + "|" + r.sourceIpAddress() + "|" + r.accessKeyId(), 8);
  }

  /** {@code service:Name}, e.g. {@code s3:ListBuckets}. */
  static String eventName(CloudTrailRecord r) {
    return eventName(r.eventSource(), r.eventName());
  }

  static String eventName(String eventSource, String eventName) {
    String source = eventSource == null ? "?" : eventSource;
    int dot = source.indexOf('.');
    return (dot > 0 ? source.substring(0, dot) : source) + ":" + eventName;
  }

  /** When the call was made; now when CloudTrail's time is missing or unreadable. */
  static Instant time(CloudTrailRecord r) {
    Instant t = parse(r.eventTime());
    return t != null ? t : Instant.now();
  }

  /** When the kept call was made; the epoch when unknown (sorts first). */
  static Instant time(AlertEvent e) {
    Instant t = parse(e.getEventTime());
    return t != null ? t : Instant.EPOCH;
  }

  private static AlertEvent event(CloudTrailRecord r, String id, TokenMatch.MatchedBy by) {
    AlertEvent e = new AlertEvent();
    e.setEventID(id);
    e.setEventTime(r.eventTime());
    e.setEventSource(r.eventSource());
    e.setEventName(r.eventName());
    e.setAwsRegion(r.awsRegion());
    e.setSourceIPAddress(r.sourceIpAddress());
    e.setUserAgent(r.userAgent());
    e.setErrorCode(r.errorCode());
    e.setAccessKeyId(r.accessKeyId());
    e.setMatchedBy(by.name());
    e.setInvokedBy(r.invokedBy());
    e.setReadOnly(r.readOnly());
    e.setEventType(r.eventType());
    e.setSession(session(r));
    return e;
  }

  private static AlertSession session(CloudTrailRecord r) {
    if (!r.temporaryCredentials()) {
      return null;
    }
    String type = Boolean.TRUE.equals(r.fromConsole()) ? AlertSession.CONSOLE
        : "IAMUser".equals(r.identityType()) ? AlertSession.SESSION_TOKEN : AlertSession.TEMPORARY;
    return new AlertSession(type, r.mfaAuthenticated(), r.sessionCreatedAt());
  }

  private static void addDistinct(List<String> list, String value, String name, Set<String> capped) {
    if (value == null || list.contains(value)) {
      return;
    }
    if (list.size() < MAX_DISTINCT) {
      list.add(value);
    } else {
      capped.add(name);
    }
  }

  private static <T> List<T> listOf(List<T> list) {
    return list == null ? List.of() : list.stream().filter(Objects::nonNull).toList();
  }

  private static Instant parse(String text) {
    return Timestamps.parse(text);
  }
}
