package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.SinkType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What each sink type sends for the sample alert, rendered through its {@link Sink} and compared
 * with its golden files in {@code src/test/resources/notify/}. A new sink type adds its rows here.
 */
class SinkGoldenFilesTest {

  record Golden(SinkType type, NotificationKind kind, AlertView alert, String file) {
    Golden(SinkType type, NotificationKind kind, String file) {
      this(type, kind, AlertFixtures.sample(), file);
    }

    @Override
    public String toString() {
      return file;
    }
  }

  static Stream<Golden> goldenFiles() {
    return Stream.of(
        new Golden(SinkType.pagerduty, NotificationKind.OPENED, "pagerduty-trigger.json"),
        new Golden(SinkType.pagerduty, NotificationKind.RESOLVED, "pagerduty-resolve.json"),
        new Golden(SinkType.slack, NotificationKind.OPENED, "slack-opened.json"),
        new Golden(SinkType.webhook, NotificationKind.OPENED, "webhook-opened.json"),
        new Golden(SinkType.email, NotificationKind.OPENED, "email-opened.txt"),
        new Golden(SinkType.email, NotificationKind.RESOLVED, "email-resolved.txt"),
        // long, capped and hostile values: the shared list, escaping and cleaning paths
        new Golden(SinkType.slack, NotificationKind.OPENED, AlertFixtures.hostile(), "slack-hostile.json"),
        new Golden(SinkType.email, NotificationKind.OPENED, AlertFixtures.hostile(), "email-hostile.txt"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("goldenFiles")
  void rendersTheGoldenFile(Golden golden) {
    Object rendered;
    try (SinkDispatcher dispatcher =
        new SinkDispatcher((from, to, subject, body) -> "id", OutboundLimits.DEFAULTS, Clock.systemUTC())) {
      rendered = dispatcher.sink(golden.type()).render(notice(golden));
    }
    if (rendered instanceof EmailSink.Mail mail) {
      assertThat(mail.from()).isEqualTo("alerts@example.com");
      assertThat(mail.to()).containsExactly("soc@example.com");
      GoldenFiles.assertTextMatches(golden.file(),
          "Subject: " + mail.message().subject() + "\n\n" + mail.message().body());
    } else {
      OutboundRequest request = (OutboundRequest) rendered;
      assertThat(request.headers()).containsEntry("Content-Type", "application/json");
      GoldenFiles.assertMatches(golden.file(), new String(request.body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void everySinkTypeHasGoldenFiles() {
    assertThat(goldenFiles().map(Golden::type).collect(Collectors.toSet()))
        .isEqualTo(EnumSet.allOf(SinkType.class));
  }

  static Notice notice(Golden golden) {
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setType(golden.type());
    spec.setTo(List.of("soc@example.com"));
    Map<String, String> data = Map.of(
        "routingKey", PagerDutyEventTest.ROUTING_KEY,
        "webhookUrl", "https://hooks.slack.com/services/T000/B000/XXXX",
        "url", "https://receiver.example/hook",
        "signingSecret", AlertDeliveryTest.SIGNING,
        "from", "alerts@example.com");
    SecretBuilder secret = new SecretBuilder().withNewMetadata().withName("sink").endMetadata();
    data.forEach((k, v) -> secret.addToData(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    Secret built = secret.build();
    return new Notice(spec, SinkCredentials.from(built), golden.alert(), golden.kind(), "msg_1", AlertFixtures.LAST);
  }
}
