package io.spacecrab.detect;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which incident each use of one token belongs to: pure, on times only. An incident is a maximal
 * run of uses whose consecutive gaps are at most the quiet window. Stored incidents are such runs
 * already (the span from their first to their last use), so arriving uses join the incidents
 * within the window of them, and a use (or a set of uses) within the window of two incidents
 * joins them into one: the one with the lowest number stays, the others are folded into it.
 * Uses within the window of no incident open new ones, numbered from {@code nextIncident} in
 * time order. The result depends on the set of uses and stored incidents, not on their order.
 */
final class IncidentGrouping {
  private IncidentGrouping() {}

  /** A stored incident: its number and the times of its first and last use. */
  record Span(int incident, Instant first, Instant last) {}

  /**
   * One incident after the batch: {@code incident} (an existing one when {@code opened} is false),
   * the stored incidents folded into it (lowest number first) and the batch's uses that belong to
   * it (by time, then eventID).
   */
  record Group(int incident, boolean opened, List<Integer> absorbed, List<TokenMatch> uses) {}

  /**
   * The groups that change: those with uses of the batch, and those that join stored incidents
   * (which only a concurrent writer can leave apart). Uses with the same eventID count once.
   */
  static List<Group> group(List<Span> incidents, List<TokenMatch> uses, Duration window, int nextIncident) {
    List<Node> nodes = new ArrayList<>();
    for (Span s : incidents) {
      nodes.add(new Node(s.first(), s.last(), s, null));
    }
    Map<String, TokenMatch> distinct = new LinkedHashMap<>();
    for (TokenMatch m : uses) {
      distinct.putIfAbsent(AlertMerge.eventId(m.record()), m);
    }
    for (TokenMatch m : distinct.values()) {
      Instant t = AlertMerge.time(m.record());
      nodes.add(new Node(t, t, null, m));
    }
    nodes.sort(Comparator.comparing(Node::start).thenComparing(Node::end));
    List<Group> groups = new ArrayList<>();
    int next = nextIncident;
    int i = 0;
    while (i < nodes.size()) {
      Instant end = nodes.get(i).end();
      List<Span> spans = new ArrayList<>();
      List<TokenMatch> members = new ArrayList<>();
      // sorted by start: a node joins when it starts within the window of the latest end so far
      while (i < nodes.size() && !nodes.get(i).start().isAfter(end.plus(window))) {
        Node n = nodes.get(i++);
        end = n.end().isAfter(end) ? n.end() : end;
        if (n.span() != null) {
          spans.add(n.span());
        } else {
          members.add(n.use());
        }
      }
      if (members.isEmpty() && spans.size() < 2) {
        continue;
      }
      spans.sort(Comparator.comparingInt(Span::incident));
      members.sort(Comparator.comparing((TokenMatch m) -> AlertMerge.time(m.record()))
          .thenComparing(m -> AlertMerge.eventId(m.record())));
      boolean opened = spans.isEmpty();
      int incident = opened ? next++ : spans.get(0).incident();
      List<Integer> absorbed = spans.stream().skip(1).map(Span::incident).toList();
      groups.add(new Group(incident, opened, absorbed, members));
    }
    return groups;
  }

  private record Node(Instant start, Instant end, Span span, TokenMatch use) {}
}
