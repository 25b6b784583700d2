package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookPayloadTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void openedBodyMatchesTheGoldenFile() {
    WebhookPayload payload =
        WebhookPayload.of(AlertFixtures.sample(), NotificationKind.OPENED, AlertFixtures.LAST);

    GoldenFiles.assertMatches("webhook-opened.json", payload.json());
    assertThat(payload.type()).isEqualTo("alert.opened");
  }

  @Test
  void resolvedBodyHasTheResolvedTypeAndTheResolutionTime() throws Exception {
    Instant resolvedAt = Instant.parse("2024-05-01T11:00:00Z");
    JsonNode json = MAPPER.readTree(
        WebhookPayload.of(AlertFixtures.sample(), NotificationKind.RESOLVED, resolvedAt).json());

    assertThat(json.get("type").asText()).isEqualTo("alert.resolved");
    assertThat(json.get("timestamp").asText()).isEqualTo("2024-05-01T11:00:00Z");
    assertThat(json.get("schemaVersion").asText()).isEqualTo("spacecrab.io/alert/v1");
  }

  @Test
  void everyDocumentedFieldIsPresentEvenWhenTheAlertLacksTheValue() throws Exception {
    // lists of objects hold one element each, so that their fields are compared too
    AlertView sparse = new AlertView("hta-1", "incident-1", null, null, "db-creds", null, null,
        null, false, AlertFixtures.FIRST, AlertFixtures.FIRST, 1, List.of("203.0.113.7"), null, null, null,
        List.of(new AlertView.RecentEvent(null, null, null, null, null, null, null, null, null, null, null)),
        java.util.Map.of("203.0.113.7", 1L), null, null).withExposure(new AlertView.Exposure(null, null, null,
        null, null, null, List.of(new AlertView.Workload(null, null, List.of(), null)), 0,
        List.of(new AlertView.Reader(null, null, null, null, null, List.of())), 0));
    JsonNode sparseJson = MAPPER.readTree(
        WebhookPayload.of(sparse, NotificationKind.OPENED, AlertFixtures.FIRST).json());
    JsonNode fullJson = MAPPER.readTree(WebhookPayload.of(AlertFixtures.sample(),
        NotificationKind.OPENED, AlertFixtures.LAST).json());

    assertThat(fieldPaths(sparseJson, "")).isEqualTo(fieldPaths(fullJson, ""));
    assertThat(sparseJson.at("/data/token/owner").isNull()).isTrue();
    assertThat(sparseJson.at("/data/sourceIps").isArray()).isTrue();
  }

  @Test
  void theBodySaysWhereTheKeyWasExposedOrNullWhenTheAlertHasNoRecordOfIt() throws Exception {
    JsonNode json = MAPPER.readTree(WebhookPayload.of(AlertFixtures.sample(), NotificationKind.OPENED,
        AlertFixtures.LAST).json());

    assertThat(json.at("/data/exposure/state").asText()).isEqualTo("Known");
    assertThat(json.at("/data/exposure/secret/namespace").asText()).isEqualTo("payments");
    assertThat(json.at("/data/exposure/secret/name").asText()).isEqualTo("db-creds");
    assertThat(json.at("/data/exposure/workloads/1/kind").asText()).isEqualTo("Deployment");
    assertThat(json.at("/data/exposure/workloads/1/name").asText()).isEqualTo("ledger");
    assertThat(json.at("/data/exposure/workloads/1/via").toString()).isEqualTo("[\"volume\",\"env\"]");
    assertThat(json.at("/data/exposure/readers/0/binding").asText()).isEqualTo("RoleBinding/ci-secrets");
    assertThat(json.at("/data/exposure/readersTruncated").asInt()).isEqualTo(3);
    JsonNode none = MAPPER.readTree(WebhookPayload.of(AlertFixtures.sample().withExposure(null),
        NotificationKind.OPENED, AlertFixtures.LAST).json());
    assertThat(none.at("/data/exposure").isNull()).isTrue();
  }

  @Test
  void aUseWithoutCloudTrailRecordCarriesTheReasonAndIamsRecord() throws Exception {
    JsonNode json = MAPPER.readTree(WebhookPayload.of(AlertFixtures.withoutTrail(), NotificationKind.OPENED,
        Instant.parse("2024-05-01T10:07:00Z")).json());

    assertThat(json.at("/data/reason").asText()).isEqualTo("UsedWithoutTrail");
    assertThat(json.at("/data/iamLastUse/lastUsedDate").asText()).isEqualTo("2024-05-01T10:07:00Z");
    assertThat(json.at("/data/iamLastUse/serviceName").asText()).isEqualTo("sts");
    assertThat(json.at("/data/iamLastUse/region").asText()).isEqualTo("eu-west-1");
    assertThat(json.at("/data/eventCount").asLong()).isZero();
    assertThat(MAPPER.readTree(WebhookPayload.of(AlertFixtures.sample(), NotificationKind.OPENED, AlertFixtures.LAST)
        .json()).at("/data/reason").asText()).isEqualTo("KeyUsed");
  }

  @Test
  void bodyIsCompactUtf8AndCarriesAttackerTextVerbatimButJsonEscaped() throws Exception {
    AlertView hostile = AlertFixtures.hostile();
    WebhookPayload payload = WebhookPayload.of(hostile, NotificationKind.UPDATED,
        AlertFixtures.LAST);
    byte[] body = payload.body();

    assertThat(new String(body, StandardCharsets.UTF_8)).isEqualTo(payload.json())
        .doesNotContain("\n").doesNotContain("\r");
    JsonNode json = MAPPER.readTree(body);
    assertThat(json.at("/data/userAgents/0").asText()).isEqualTo(hostile.userAgents().get(0));
    assertThat(json.at("/data/token/notes").asText()).isEqualTo(hostile.notes());
  }

  /** The calls the sink's knownScanners matched are counted, listed with their rule, and marked. */
  @Test
  void saysWhichCallsKnownScannersMadeAndWhichRuleMatched() throws Exception {
    JsonNode json = MAPPER.readTree(WebhookPayload.of(AlertFixtures.scanned(), NotificationKind.OPENED,
        AlertFixtures.LAST).json());
    assertThat(json.at("/data/eventCount").asLong()).isEqualTo(6);
    assertThat(json.at("/data/suppressedCalls").asLong()).isEqualTo(2);
    assertThat(json.at("/data/knownScannerCalls").toString()).isEqualTo("[{\"rule\":\"trufflehog-ci\","
        + "\"sourceIp\":\"192.0.2.5\",\"userAgent\":\"TruffleHog/3.63.2\",\"calls\":2}]");
    assertThat(json.at("/data/recentEvents/0/suppressedBy").asText()).isEqualTo("trufflehog-ci");
    assertThat(json.at("/data/recentEvents/2/suppressedBy").isNull()).isTrue();
  }

  private static List<String> fieldPaths(JsonNode node, String prefix) {
    List<String> paths = new java.util.ArrayList<>();
    if (node.isObject()) {
      node.fieldNames().forEachRemaining(name -> {
        paths.add(prefix + "/" + name);
        paths.addAll(fieldPaths(node.get(name), prefix + "/" + name));
      });
    } else if (node.isArray() && node.size() > 0 && node.get(0).isObject()) {
      paths.addAll(fieldPaths(node.get(0), prefix + "/0"));
    }
    return paths;
  }
}
