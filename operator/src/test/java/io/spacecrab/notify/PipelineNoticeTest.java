package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.SinkMatch;
import io.spacecrab.api.v1alpha1.TokenRef;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** PipelineDown notices: only the sinks that ask for them, and worded as a pipeline fault, not a breach. */
class PipelineNoticeTest {
  final ObjectMapper json = new ObjectMapper();

  @Test
  void onlySinksWithPipelineNoticesTakeThemAndTheyStillTakeTokenAlerts() {
    HoneyTokenAlert notice = alert(SpaceCrab.PIPELINE_DOWN);
    HoneyTokenAlert breach = alert(null);
    AlertSink everything = sink(null);
    SinkMatch onlyPayments = new SinkMatch();
    onlyPayments.setNamespaces(java.util.List.of("payments"));
    AlertSink payments = sink(onlyPayments);
    SinkMatch asks = new SinkMatch();
    asks.setNamespaces(java.util.List.of("payments"));
    asks.setPipelineNotices(true);
    AlertSink pipeline = sink(asks);

    assertThat(AlertDeliveryReconciler.selects(everything, notice)).isFalse();
    assertThat(AlertDeliveryReconciler.selects(payments, notice)).isFalse();
    assertThat(AlertDeliveryReconciler.selects(pipeline, notice)).isTrue();
    assertThat(AlertDeliveryReconciler.selects(everything, breach)).isTrue();
    assertThat(AlertDeliveryReconciler.selects(pipeline, breach)).isTrue();
  }

  @Test
  void everySinkTypeSaysWhichPathIsDownSinceWhenAndThatItIsNoBreach() throws Exception {
    AlertView view = AlertDeliveryReconciler.view(alert(SpaceCrab.PIPELINE_DOWN));
    assertThat(view.pipelineDown()).isTrue();
    String headline = "SpaceCrab detection pipeline down: no self-test use through EventBridge events since"
        + " 2026-12-02T10:21:00Z";

    JsonNode page = json.readTree(PagerDutyEvent.trigger("R0UTINGKEY0123456789abcdefabcdef", view,
        PagerDutyEvent.Severity.WARNING).json());
    assertThat(page.at("/payload/summary").asText()).startsWith(headline).doesNotContain("honey token");
    assertThat(page.at("/payload/class").asText()).isEqualTo("PipelineDown");
    JsonNode resolve = json.readTree(PagerDutyEvent.resolve("R0UTINGKEY0123456789abcdefabcdef", view).json());
    assertThat(resolve.path("dedup_key").asText()).isEqualTo(page.path("dedup_key").asText());

    SlackMessage slack = SlackMessage.of(view, NotificationKind.OPENED);
    assertThat(slack.text()).isEqualTo(headline);
    assertThat(json.readTree(slack.json()).at("/blocks/0/text/text").asText()).isEqualTo("SpaceCrab pipeline down");
    assertThat(slack.json()).contains("Not a breach signal").doesNotContain("treat it as a breach signal");
    assertThat(SlackMessage.of(view, NotificationKind.RESOLVED).text())
        .startsWith("Resolved: SpaceCrab detection pipeline delivers again through EventBridge events");

    EmailMessage mail = EmailMessage.of(view, NotificationKind.OPENED);
    assertThat(mail.subject()).startsWith("[SpaceCrab] " + headline);
    assertThat(mail.body()).startsWith(headline).doesNotContain("An AWS honey token was used");

    JsonNode hook = json.readTree(WebhookPayload.of(view, NotificationKind.OPENED, Instant.EPOCH).json());
    assertThat(hook.at("/data/reason").asText()).isEqualTo("PipelineDown");
    assertThat(hook.at("/data/token/location").asText()).isEqualTo("EventBridge events");
  }

  static HoneyTokenAlert alert(String reason) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName("a").withNamespace("spacecrab-system").withUid("u-1").build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setReason(reason);
    spec.setToken(new TokenRef("payments", "db", "uid-1"));
    spec.setCluster("prod");
    spec.setLocation("EventBridge events");
    spec.setFirstSeen("2026-12-02T10:21:00Z");
    spec.setLastSeen("2026-12-02T10:21:00Z");
    spec.setEventCount(0L);
    alert.setSpec(spec);
    return alert;
  }

  static AlertSink sink(SinkMatch match) {
    AlertSink sink = new AlertSink();
    sink.setMetadata(new ObjectMetaBuilder().withName("s").withNamespace("spacecrab-system").build());
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setMatch(match);
    sink.setSpec(spec);
    return sink;
  }
}
