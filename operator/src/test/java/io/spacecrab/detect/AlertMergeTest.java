package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.spacecrab.api.v1alpha1.AlertEvent;
import io.spacecrab.api.v1alpha1.AlertSession;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aggregation into one incident (AlertMerge): counted once per eventID, bounded whatever the attacker does. */
class AlertMergeTest {
  final RegistryRecord token = new RegistryRecord("AKIAEXAMPLE000000001", "AIDAEXAMPLE000000001", "svc-deploy-1",
      "arn:aws:iam::123456789012:user/svc-deploy-1", "prod", "payments", "deploy", "uid-1", "oncall", "here", "notes", null,
      RegistryState.Active, null, null);

  @Test
  void countsEachEventIdOnce() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    assertThat(AlertMerge.merge(spec, token, List.of(match("e1", "1.1.1.1"), match("e2", "1.1.1.2")))).isEqualTo(2);
    assertThat(AlertMerge.merge(spec, token, List.of(match("e2", "1.1.1.2"), match("e3", "1.1.1.3")))).isEqualTo(1);
    assertThat(spec.getEventCount()).isEqualTo(3);
    assertThat(spec.getSourceIPs()).containsExactly("1.1.1.1", "1.1.1.2", "1.1.1.3");
  }

  @Test
  void anAttackerCannotGrowTheObjectWithoutBound() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    String huge = "x".repeat(1024);
    for (int batch = 0; batch < 50; batch++) {
      List<TokenMatch> matches = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        int n = batch * 1000 + i;
        matches.add(new TokenMatch(token, new CloudTrailRecord("evt-" + n, "2026-11-30T21:00:00Z",
            "s3.amazonaws.com", "Op" + n + huge, "us-east-" + n,
            n % 2 == 0 ? "10.0." + (n / 256 % 256) + "." + (n % 256) : "svc-" + n + huge, huge + n, "AccessDenied",
            "IAMUser",
            token.principalId(), token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null),
            TokenMatch.MatchedBy.ACCESS_KEY_ID));
      }
      AlertMerge.merge(spec, token, matches);
    }
    assertThat(spec.getEventCount()).isEqualTo(50_000);
    assertThat(spec.getSourceIPs()).hasSize(AlertMerge.MAX_DISTINCT);
    assertThat(spec.getSourceIPCalls()).hasSize(AlertMerge.MAX_DISTINCT);
    assertThat(spec.getInvokedBy()).hasSize(AlertMerge.MAX_DISTINCT);
    assertThat(spec.getCappedLists()).containsExactly("sourceIPs", "callers", "invokedBy", "userAgents", "eventNames",
        "regions");
    assertThat(spec.getCallers()).hasSize(AlertMerge.MAX_DISTINCT);
    assertThat(spec.getRecentEvents()).hasSize(AlertMerge.MAX_RECENT);
    assertThat(spec.getSeenEventIDs()).hasSize(AlertMerge.MAX_SEEN_IDS);
    int bytes = Serialization.asJson(spec).length();
    System.out.println("[alert size] 50,000 hostile events: " + bytes + " bytes");
    assertThat(bytes).as("serialized alert spec").isLessThan(256 * 1024);
  }

  /** Issue 12 item 18: service-invoked calls are no source address; the address used most is listed first. */
  @Test
  void serviceCallsAreNoSourceAddressAndTheMostUsedAddressComesFirst() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    List<TokenMatch> matches = new ArrayList<>();
    matches.add(match("h1", "health.amazonaws.com"));
    matches.add(match("h2", "health.amazonaws.com"));
    matches.add(match("i1", "AWS Internal"));
    for (int i = 0; i < 3; i++) {
      matches.add(match("b" + i, "2001:db8::17"));
    }
    for (int i = 0; i < 10; i++) {
      matches.add(match("a" + i, "203.0.113.7"));
    }
    AlertMerge.merge(spec, token, matches.subList(0, 8));
    AlertMerge.merge(spec, token, matches.subList(8, matches.size()));

    assertThat(spec.getEventCount()).isEqualTo(16);
    assertThat(spec.getSourceIPs()).containsExactly("203.0.113.7", "2001:db8::17");
    JsonNode json = json(spec);
    assertThat(json.path("sourceIPCalls").toString()).isEqualTo(
        "[{\"sourceIP\":\"203.0.113.7\",\"calls\":10},{\"sourceIP\":\"2001:db8::17\",\"calls\":3}]");
    assertThat(json.path("invokedBy").toString()).isEqualTo("[\"health.amazonaws.com\",\"AWS Internal\"]");
    assertThat(json.has("cappedLists")).isFalse();
  }

  /** Twenty throwaway addresses first cannot push the attacker's working address out of the list. */
  @Test
  void theAddressUsedMostStaysListedAfterManyOneOffAddresses() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    List<TokenMatch> matches = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      matches.add(match("decoy-" + i, "198.51.100." + (i + 1)));
    }
    AlertMerge.merge(spec, token, matches);
    matches.clear();
    for (int i = 0; i < 40; i++) {
      matches.add(match("main-" + i, "203.0.113.7"));
    }
    AlertMerge.merge(spec, token, matches);

    assertThat(spec.getSourceIPs()).hasSize(AlertMerge.MAX_DISTINCT).startsWith("203.0.113.7");
    JsonNode json = json(spec);
    assertThat(json.path("sourceIPCalls").get(0).path("calls").asLong()).isGreaterThanOrEqualTo(40);
    assertThat(json.path("cappedLists").toString()).isEqualTo("[\"sourceIPs\",\"callers\"]");
  }

  /** A list that reached its cap says so; one that holds exactly the cap does not. */
  @Test
  void aListThatReachedItsCapSaysSo() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    List<TokenMatch> matches = new ArrayList<>();
    for (int i = 0; i < AlertMerge.MAX_DISTINCT; i++) {
      matches.add(new TokenMatch(token, new CloudTrailRecord("ua-" + i, "2026-11-30T21:00:00Z", "s3.amazonaws.com",
          "ListBuckets", "us-east-1", "203.0.113.7", "agent-" + i, null, "IAMUser", token.principalId(),
          token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null),
          TokenMatch.MatchedBy.ACCESS_KEY_ID));
    }
    AlertMerge.merge(spec, token, matches);
    assertThat(json(spec).has("cappedLists")).isFalse();

    AlertMerge.merge(spec, token, List.of(new TokenMatch(token, new CloudTrailRecord("ua-x", "2026-11-30T21:00:01Z",
        "s3.amazonaws.com", "ListBuckets", "us-east-1", "203.0.113.7", "agent-x", null, "IAMUser",
        token.principalId(), token.userArn(), "123456789012", token.accessKeyId(), token.userName(), null),
        TokenMatch.MatchedBy.ACCESS_KEY_ID)));
    assertThat(spec.getUserAgents()).hasSize(AlertMerge.MAX_DISTINCT).doesNotContain("agent-x");
    assertThat(json(spec).path("cappedLists").toString()).isEqualTo("[\"callers\",\"userAgents\"]");
  }

  /** Parsed from the fixtures and merged: each kept call says who invoked it and with which session. */
  @Test
  void eachRecentEventKeepsTheCallsContext() throws Exception {
    RegistryRecord fixtureToken = CloudTrailFixtures.tokenEntry(RegistryState.Active);
    TokenMatcher matcher = new TokenMatcher(RegistrySnapshot.of(List.of(fixtureToken)));
    List<TokenMatch> matches = new ArrayList<>();
    new CloudTrailParser().parse(new java.io.ByteArrayInputStream(CloudTrailFixtures.gzip(CloudTrailFixtures.logFile(
        CloudTrailFixtures.IAM_USER, CloudTrailFixtures.GET_SESSION_TOKEN, CloudTrailFixtures.SESSION_CALL,
        CloudTrailFixtures.HEALTH_CONSOLE_SESSION, CloudTrailFixtures.AWS_INTERNAL))), matcher,
        r -> matcher.match(r).ifPresent(matches::add));
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    assertThat(AlertMerge.merge(spec, fixtureToken, matches)).isEqualTo(5);

    assertThat(spec.getSourceIPs()).containsExactly("203.0.113.45");
    assertThat(spec.getInvokedBy()).containsExactly("health.amazonaws.com", "AWS Internal");
    List<AlertEvent> recent = spec.getRecentEvents();
    assertThat(recent).extracting(AlertEvent::getEventName).containsExactly("GetCallerIdentity", "GetSessionToken",
        "ListBuckets", "DescribeEventAggregates", "Decrypt");
    assertThat(recent).extracting(AlertEvent::getEventType).containsOnly("AwsApiCall");
    assertThat(recent).extracting(AlertEvent::getReadOnly).containsExactly(true, true, true, true, false);
    assertThat(recent).extracting(AlertEvent::getInvokedBy)
        .containsExactly(null, null, null, "health.amazonaws.com", "AWS Internal");
    assertThat(recent.get(0).getSession()).isNull();
    assertThat(recent.get(2).getSession()).isEqualTo(new AlertSession("SessionToken", false, "2024-05-14T09:13:02Z"));
    assertThat(recent.get(3).getSession()).isEqualTo(new AlertSession("Console", false, "2024-05-14T09:20:11Z"));
    assertThat(recent.get(4).getSession()).isNull();
  }

  /** An alert written before services were told apart (a service name among the addresses, no counts). */
  @Test
  void anOlderAlertIsSortedOutOnItsNextMerge() {
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setSourceIPs(new ArrayList<>(List.of("health.amazonaws.com", "198.51.100.23", "203.0.113.7")));
    spec.setEventCount(3L);
    AlertMerge.merge(spec, token, List.of(match("n1", "203.0.113.7"), match("n2", "203.0.113.7")));

    assertThat(spec.getSourceIPs()).containsExactly("203.0.113.7", "198.51.100.23");
    assertThat(spec.getSourceIPCalls()).extracting(c -> c.getCalls()).containsExactly(3L, 1L);
    assertThat(spec.getInvokedBy()).containsExactly("health.amazonaws.com");
    assertThat(spec.getEventCount()).isEqualTo(5);
  }

  /**
   * Folding one incident into another sums the address counts, joins the distinct lists and the
   * recent calls, widens the times; folding it again adds only what is new.
   */
  @Test
  void foldingAnIncidentInAddsItsCallsOnce() {
    HoneyTokenAlertSpec into = new HoneyTokenAlertSpec();
    into.setIncident(1);
    AlertMerge.merge(into, token, List.of(match("a1", "203.0.113.7", "2026-11-30T21:00:00Z"),
        match("a2", "198.51.100.1", "2026-11-30T21:10:00Z")));
    HoneyTokenAlertSpec from = new HoneyTokenAlertSpec();
    from.setIncident(2);
    AlertMerge.merge(from, token, List.of(match("b1", "203.0.113.7", "2026-11-30T23:00:00Z"),
        match("b2", "203.0.113.7", "2026-11-30T23:05:00Z"), match("b3", "health.amazonaws.com",
            "2026-11-30T23:06:00Z")));

    assertThat(AlertMerge.absorb(into, from)).isEqualTo(3);
    assertThat(into.getEventCount()).isEqualTo(5);
    assertThat(into.getSeenEventIDs()).containsExactly("a1", "a2", "b1", "b2", "b3");
    assertThat(into.getFirstSeen()).isEqualTo("2026-11-30T21:00:00Z");
    assertThat(into.getLastSeen()).isEqualTo("2026-11-30T23:06:00Z");
    assertThat(json(into).path("sourceIPCalls").toString()).isEqualTo(
        "[{\"sourceIP\":\"203.0.113.7\",\"calls\":3},{\"sourceIP\":\"198.51.100.1\",\"calls\":1}]");
    assertThat(into.getInvokedBy()).containsExactly("health.amazonaws.com");
    assertThat(into.getRecentEvents()).extracting(AlertEvent::getEventID).containsExactly("a1", "a2", "b1", "b2",
        "b3");
    assertThat(into.getMergedIncidents()).containsExactly(2);

    // folded again (the write marking it folded was lost) after one more use reached it: only that use is new
    AlertMerge.merge(from, token, List.of(match("b4", "203.0.113.7", "2026-11-30T23:07:00Z")));
    assertThat(AlertMerge.absorb(into, from)).isEqualTo(1);
    assertThat(into.getEventCount()).isEqualTo(6);
    assertThat(into.getSourceIPCalls().get(0).getCalls()).as("addresses count only at the first fold").isEqualTo(3);
    assertThat(AlertMerge.absorb(into, from)).isZero();
    assertThat(into.getEventCount()).isEqualTo(6);
  }

  static JsonNode json(HoneyTokenAlertSpec spec) {
    return Serialization.jsonMapper().valueToTree(spec);
  }

  TokenMatch match(String id, String ip) {
    return match(id, ip, "2026-11-30T21:00:00Z");
  }

  TokenMatch match(String id, String ip, String time) {
    return new TokenMatch(token, new CloudTrailRecord(id, time, "s3.amazonaws.com", "ListBuckets",
        "us-east-1", ip, "aws-cli/2", null, "IAMUser", token.principalId(), token.userArn(), "123456789012",
        token.accessKeyId(), token.userName(), null), TokenMatch.MatchedBy.ACCESS_KEY_ID);
  }
}
