package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackMessageTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void ordinaryAlertMatchesTheGoldenFile() {
    GoldenFiles.assertMatches("slack-opened.json",
        SlackMessage.of(AlertFixtures.sample(), NotificationKind.OPENED).json());
  }

  @Test
  void hasBlocksAndAPlainFallbackText() throws Exception {
    JsonNode json = MAPPER.readTree(
        SlackMessage.of(AlertFixtures.sample(), NotificationKind.OPENED).body());

    assertThat(json.get("text").asText()).isEqualTo(
        "AWS honey token `payments/db-creds` used: 4 API calls from `203.0.113.7`"
            + " (2 of 4 API calls, +1 more address)");
    assertThat(json.get("blocks")).isNotEmpty();
    assertThat(json.at("/blocks/0/type").asText()).isEqualTo("header");
  }

  @Test
  void saysWhichCallsKnownScannersMade() throws Exception {
    JsonNode json = MAPPER.readTree(SlackMessage.of(AlertFixtures.scanned(), NotificationKind.OPENED).body());
    assertThat(json.get("text").asText()).endsWith("; 2 of them by known scanners");
    assertThat(json.get("blocks").toString()).contains("*Known scanners (recorded, not paged): 2 API calls*"
        + "\\n• `trufflehog-ci`: `192.0.2.5` `TruffleHog/3.63.2` (2 API calls)")
        .contains(" · known scanner `trufflehog-ci`");
  }

  @Test
  void aSectionSaysWhereTheKeyWasExposed() {
    String json = SlackMessage.of(AlertFixtures.sample(), NotificationKind.OPENED).json();

    assertThat(json).contains("*Where the key was exposed* (Secret `payments/db-creds`)")
        .contains("• `Deployment/ledger` via volume, env")
        .contains("• ServiceAccount `payments/ci` via `RoleBinding/ci-secrets` (`get`)")
        .contains("+3 more in the alert");
    assertThat(SlackMessage.of(AlertFixtures.sample().withExposure(null), NotificationKind.OPENED).json())
        .doesNotContain("Where the key was exposed");
  }

  @Test
  void hostileTextCannotMentionForgeLinksOrFormat() throws Exception {
    SlackMessage message = SlackMessage.of(AlertFixtures.hostile(), NotificationKind.OPENED);

    for (String text : mrkdwnTexts(MAPPER.readTree(message.body()))) {
      assertThat(text)
          .doesNotContain("<!channel>").doesNotContain("<!here>").doesNotContain("<!everyone>")
          .doesNotContain("<@U").doesNotContain("<http")
          .doesNotContain("@channel").doesNotContain("@here");
      // the only < > & left are the entities Slack documents
      assertThat(text.replace("&amp;", "").replace("&lt;", "").replace("&gt;", ""))
          .doesNotContain("<").doesNotContain(">").doesNotContain("&");
      assertThat(text.chars().filter(c -> c == '`').count() % 2).as("balanced code spans in %s",
          text).isZero();
      for (String outside : outsideCodeSpans(text)) {
        assertThat(outside).doesNotContain("bold").doesNotContain("italic")
            .doesNotContain("strike").doesNotContain("quote").doesNotContain("evil")
            .doesNotContain("channel").doesNotContain("forged");
      }
    }
  }

  @Test
  void hostileTextLosesControlAndInvisibleCharacters() {
    String json = SlackMessage.of(AlertFixtures.hostile(), NotificationKind.OPENED).json();

    assertThat(json).doesNotContain("\\r").doesNotContain("\\t").doesNotContain("\\u0000")
        .doesNotContain("\\u0007").doesNotContain("\\u001B").doesNotContain("\u202E")
        .doesNotContain("\u200B").doesNotContain("\u2066");
    assertThat(json).contains("line1 Subject: forged");
  }

  @Test
  void everyTextStaysWithinSlackLimits() throws Exception {
    JsonNode json = MAPPER.readTree(
        SlackMessage.of(AlertFixtures.hostile(), NotificationKind.OPENED).body());

    assertThat(json.at("/blocks/0/text/text").asText())
        .hasSizeLessThanOrEqualTo(SlackMessage.HEADER_MAX);
    assertThat(json.get("blocks").size()).isLessThanOrEqualTo(50);
    for (JsonNode block : json.get("blocks")) {
      if (block.has("text")) {
        assertThat(block.at("/text/text").asText())
            .hasSizeLessThanOrEqualTo(SlackMessage.SECTION_TEXT_MAX);
      }
      if (block.has("fields")) {
        assertThat(block.get("fields").size()).isLessThanOrEqualTo(10);
        block.get("fields").forEach(f -> assertThat(f.get("text").asText())
            .hasSizeLessThanOrEqualTo(SlackMessage.FIELD_MAX));
      }
    }
    assertThat(json.get("text").asText()).hasSizeLessThan(4000);
  }

  @Test
  void longListsShowTheFirstFewAndCountTheRest() throws Exception {
    JsonNode json = MAPPER.readTree(
        SlackMessage.of(AlertFixtures.hostile(), NotificationKind.OPENED).body());

    assertThat(json.toString()).contains("+2 more").contains("more in the alert");
  }

  @Test
  void resolvedMessageSaysSo() throws Exception {
    JsonNode json = MAPPER.readTree(
        SlackMessage.of(AlertFixtures.sample(), NotificationKind.RESOLVED).body());

    assertThat(json.at("/blocks/0/text/text").asText()).isEqualTo("AWS honey token alert resolved");
    assertThat(json.get("text").asText()).startsWith("Resolved: ");
  }

  @Test
  void codeSpanEscapesNeutralisesAndCaps() {
    assertThat(SlackText.code("a & b < c > d", 100)).isEqualTo("`a &amp; b &lt; c &gt; d`");
    assertThat(SlackText.code("x`y", 100)).isEqualTo("`xˋy`");
    assertThat(SlackText.code("@here me@example.com @ 1", 100))
        .isEqualTo("`@\u2060here me@\u2060example.com @ 1`");
    assertThat(SlackText.code(null, 100)).isEqualTo("-");
    assertThat(SlackText.code("\r\n", 100)).isEqualTo("-");
    String capped = SlackText.code("&".repeat(100), 30);
    assertThat(capped).hasSizeLessThanOrEqualTo(30).endsWith("…`").doesNotContain("&amp…")
        .startsWith("`&amp;");
    assertThat(SlackText.code("😀".repeat(50), 21)).hasSizeLessThanOrEqualTo(21)
        .doesNotContain("\uFFFD").satisfies(s -> assertThat(s.codePoints()
            .noneMatch(cp -> Character.isSurrogate((char) cp))).isTrue());
  }

  private static List<String> mrkdwnTexts(JsonNode node) {
    List<String> texts = new ArrayList<>();
    collect(node, texts);
    return texts;
  }

  private static void collect(JsonNode node, List<String> texts) {
    if (node.isObject()) {
      if (node.has("text") && node.get("text").isTextual()) {
        texts.add(node.get("text").asText());
      }
      node.forEach(child -> collect(child, texts));
    } else if (node.isArray()) {
      node.forEach(child -> collect(child, texts));
    }
  }

  private static List<String> outsideCodeSpans(String text) {
    List<String> outside = new ArrayList<>();
    String[] parts = text.split("`", -1);
    for (int i = 0; i < parts.length; i += 2) {
      outside.add(parts[i]);
    }
    return outside;
  }
}
