package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class PagerDutyEventTest {
  static final String ROUTING_KEY = "R0UTINGKEY0123456789abcdef012345";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void triggerBodyMatchesTheGoldenFile() {
    PagerDutyEvent event = PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.sample(),
        PagerDutyEvent.Severity.CRITICAL);

    GoldenFiles.assertMatches("pagerduty-trigger.json", event.json());
    assertThat(event.eventAction()).isEqualTo("trigger");
    assertThat(event.dedupKey()).isEqualTo(AlertFixtures.sample().incidentKey());
  }

  @Test
  void customDetailsSayWhereTheKeyWasExposed() throws Exception {
    JsonNode details = MAPPER.readTree(PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.sample(),
        PagerDutyEvent.Severity.CRITICAL).body()).at("/payload/custom_details/exposure");

    assertThat(details.at("/secret").asText()).isEqualTo("payments/db-creds");
    assertThat(details.at("/workloads/1").asText()).isEqualTo("Deployment/ledger (volume, env)");
    assertThat(details.at("/readers/0").asText())
        .isEqualTo("ServiceAccount payments/ci via RoleBinding/ci-secrets (Role/read-secrets: get)");
    assertThat(details.at("/readers_truncated").asInt()).isEqualTo(3);
    JsonNode unknown = MAPPER.readTree(PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.sample().withExposure(
        new AlertView.Exposure("Unknown", "Forbidden", "403 while listing pods in payments.", "payments", "db-creds",
            AlertFixtures.FIRST, List.of(), 0, List.of(), 0)), PagerDutyEvent.Severity.CRITICAL).body())
        .at("/payload/custom_details/exposure");
    assertThat(unknown.at("/state").asText()).isEqualTo("Unknown");
    assertThat(unknown.at("/reason").asText()).isEqualTo("Forbidden");
    assertThat(unknown.at("/workloads").size()).isZero();
  }

  @Test
  void aUseWithoutCloudTrailRecordSaysSoWithIamServiceAndRegion() throws Exception {
    JsonNode trigger = MAPPER.readTree(PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.withoutTrail(),
        PagerDutyEvent.Severity.CRITICAL).body());

    assertThat(trigger.at("/payload/summary").asText()).isEqualTo("AWS honey token payments/deploy used without a"
        + " CloudTrail record: IAM reports a call to sts in eu-west-1 at 2024-05-01T10:07:00Z in cluster prod-eu-1");
    assertThat(trigger.at("/payload/class").asText()).isEqualTo("UsedWithoutTrail");
    assertThat(trigger.at("/payload/custom_details/reason").asText()).isEqualTo("UsedWithoutTrail");
    assertThat(trigger.at("/payload/custom_details/iam_last_use").asText())
        .isEqualTo("a call to sts in eu-west-1 at 2024-05-01T10:07:00Z");
    assertThat(PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.sample(), PagerDutyEvent.Severity.CRITICAL).json())
        .doesNotContain("iam_last_use");
  }

  @Test
  void resolveBodyMatchesTheGoldenFile() {
    PagerDutyEvent event = PagerDutyEvent.resolve(ROUTING_KEY, AlertFixtures.sample());

    GoldenFiles.assertMatches("pagerduty-resolve.json", event.json());
  }

  @Test
  void triggerAndResolveOfOneIncidentShareTheDedupKey() throws Exception {
    AlertView alert = AlertFixtures.sample();
    JsonNode trigger = MAPPER.readTree(
        PagerDutyEvent.trigger(ROUTING_KEY, alert, PagerDutyEvent.Severity.ERROR).body());
    JsonNode resolve = MAPPER.readTree(PagerDutyEvent.resolve(ROUTING_KEY, alert).body());

    assertThat(trigger.get("dedup_key")).isEqualTo(resolve.get("dedup_key"));
    assertThat(trigger.at("/payload/severity").asText()).isEqualTo("error");
  }

  @Test
  void hostileAlertStaysWithinPagerDutyLimitsAndLosesItsControlCharacters() throws Exception {
    PagerDutyEvent event = PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.hostile(),
        PagerDutyEvent.Severity.CRITICAL);
    JsonNode json = MAPPER.readTree(event.body());

    assertThat(json.at("/payload/summary").asText()).hasSizeLessThanOrEqualTo(1024);
    assertThat(event.body().length).isLessThan(512 * 1024);
    assertThat(json.at("/payload/custom_details/recent_events")).hasSize(10);
    assertThat(json.at("/payload/custom_details/user_agents/0").asText())
        .hasSizeLessThanOrEqualTo(PagerDutyEvent.DETAIL_MAX);
    assertThat(event.json()).doesNotContain("\\r").doesNotContain("\\n").doesNotContain("\\t")
        .doesNotContain("\\u0000").doesNotContain("\\u001B").doesNotContain("\u202E");
  }

  @Test
  void summaryForManyCallsNamesCountsApisAndAddresses() throws Exception {
    JsonNode json = MAPPER.readTree(PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.sample(),
        PagerDutyEvent.Severity.CRITICAL).body());

    assertThat(json.at("/payload/summary").asText()).isEqualTo(
        "AWS honey token payments/db-creds used: 4 API calls (GetCallerIdentity, DescribeEventAggregates,"
            + " ListBuckets) from 203.0.113.7 (2 of 4 API calls, +1 more address) in cluster prod-eu-1");
  }

  /** Issue 12 item 18: the headline names the address most calls came from, whatever order the list is in. */
  @Test
  void summaryNamesTheAddressMostCallsCameFromAndSaysWhenTheListIsCapped() throws Exception {
    AlertView sample = AlertFixtures.sample();
    AlertView attacked = new AlertView(sample.alertName(), sample.incidentKey(), sample.clusterId(),
        sample.tokenNamespace(), sample.tokenName(), null, null, null, false, sample.firstSeen(), sample.lastSeen(),
        105, List.of("198.51.100.23", "203.0.113.7"), null, List.of("s3:GetObject"), null, null,
        AlertFixtures.sourceIpCalls("198.51.100.23", 10L, "203.0.113.7", 89L),
        List.of("health.amazonaws.com", "AWS Internal"), java.util.EnumSet.of(AlertView.Listed.SOURCE_IPS));

    JsonNode json = MAPPER.readTree(PagerDutyEvent.trigger(ROUTING_KEY, attacked,
        PagerDutyEvent.Severity.CRITICAL).body());

    assertThat(json.at("/payload/summary").asText()).isEqualTo("AWS honey token payments/db-creds used:"
        + " 105 API calls (s3:GetObject) from 203.0.113.7 (89 of 105 API calls, more than 1 other address)"
        + " in cluster prod-eu-1");
    assertThat(json.at("/payload/custom_details/source_ips").toString())
        .isEqualTo("[\"198.51.100.23\",\"203.0.113.7\",\"" + PagerDutyEvent.CAPPED + "\"]");
    assertThat(json.at("/payload/custom_details/invoked_by").toString())
        .isEqualTo("[\"health.amazonaws.com\",\"AWS Internal\"]");
  }

  @Test
  void longIncidentKeyBecomesAStableDedupKeyOfAtMost255Characters() {
    String key = "honeytoken/" + "x".repeat(400);

    String dedup = PagerDutyEvent.dedupKey(key);

    assertThat(dedup).hasSizeLessThanOrEqualTo(255).isEqualTo(PagerDutyEvent.dedupKey(key))
        .isNotEqualTo(PagerDutyEvent.dedupKey(key + "y")).startsWith("honeytoken/xxx");
    assertThat(PagerDutyEvent.dedupKey("short")).isEqualTo("short");
  }

  @Test
  void routingKeyNeverAppearsInToStringOrErrors() {
    PagerDutyEvent event = PagerDutyEvent.trigger(ROUTING_KEY, AlertFixtures.sample(),
        PagerDutyEvent.Severity.CRITICAL);

    assertThat(event.toString()).doesNotContain(ROUTING_KEY).contains("trigger");
    assertThat(PagerDutyEvent.resolve(ROUTING_KEY, AlertFixtures.sample()).toString())
        .doesNotContain(ROUTING_KEY);
    for (String bad : List.of("R0UTING KEY0123", "R0UTINGKEY\r\nX-Injected: 1", "clé-secrète")) {
      assertThatThrownBy(() -> PagerDutyEvent.trigger(bad, AlertFixtures.sample(),
          PagerDutyEvent.Severity.CRITICAL))
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(bad).doesNotContain("R0UTING"));
    }
  }

  /** The page says how many calls were known scanners' and which rule matched them. */
  @Test
  void aTriggerNamesTheKnownScannersCallsAndTheirRule() throws Exception {
    JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(PagerDutyEvent.trigger(
        "R0UTINGKEY0123456789abcdefabcdef", AlertFixtures.scanned(), PagerDutyEvent.Severity.CRITICAL).json());
    assertThat(json.at("/payload/summary").asText()).endsWith("in cluster prod-eu-1; 2 of them by known scanners");
    JsonNode details = json.at("/payload/custom_details");
    assertThat(details.path("event_count").asLong()).isEqualTo(6);
    assertThat(details.path("suppressed_calls").asLong()).isEqualTo(2);
    assertThat(details.path("known_scanner_calls").toString()).isEqualTo("[{\"rule\":\"trufflehog-ci\","
        + "\"source_ip\":\"192.0.2.5\",\"user_agent\":\"TruffleHog/3.63.2\",\"calls\":2}]");
    JsonNode recent = details.path("recent_events");
    assertThat(recent.get(recent.size() - 1).path("suppressed_by").asText()).isEqualTo("trufflehog-ci");
    assertThat(recent.get(0).has("suppressed_by")).isFalse();
  }
}
