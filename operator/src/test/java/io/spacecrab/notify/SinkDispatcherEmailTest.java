package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.AwsCallException.Kind;
import io.spacecrab.aws.MailSender;
import io.spacecrab.notify.DeliveryResult.Outcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How an email delivery's outcome follows from the mail sender's classified failure. */
class SinkDispatcherEmailTest {

  @Test
  void retryableSesFailuresAreRetriedAndTheRestAreFinal() {
    assertThat(outcome(new AwsCallException(Kind.THROTTLED, "Throttling", "SES SendEmail failed: Throttling", null)))
        .isEqualTo(Outcome.RETRY);
    assertThat(outcome(new AwsCallException(Kind.TRANSIENT, "ServiceUnavailable", "SES SendEmail failed: 503", null)))
        .isEqualTo(Outcome.RETRY);
    assertThat(outcome(new AwsCallException(Kind.TRANSIENT, null, "SES SendEmail failed: Read timed out", null)))
        .isEqualTo(Outcome.RETRY);
    assertThat(outcome(new AwsCallException(Kind.INVALID, "MessageRejected", "SES SendEmail failed: rejected", null)))
        .isEqualTo(Outcome.FAILED_PERMANENTLY);
    assertThat(outcome(new AwsCallException(Kind.ACCESS_DENIED, "AccessDenied", "SES SendEmail failed: denied",
        null))).isEqualTo(Outcome.FAILED_PERMANENTLY);
  }

  @Test
  void theErrorIsTheSendersOneLineMessage() {
    DeliveryResult result = send((from, to, subject, body) -> {
      throw new AwsCallException(Kind.THROTTLED, "Throttling",
          "SES SendEmail failed: Throttling (Maximum sending rate exceeded.)", null);
    });
    assertThat(result.error()).isEqualTo("SES SendEmail failed: Throttling (Maximum sending rate exceeded.)");
    assertThat(send((from, to, subject, body) -> "id-1")).isEqualTo(DeliveryResult.success(200));
  }

  static Outcome outcome(AwsCallException failure) {
    return send((from, to, subject, body) -> {
      throw failure;
    }).outcome();
  }

  static DeliveryResult send(MailSender mail) {
    AlertSinkSpec spec = new AlertSinkSpec();
    spec.setType(SinkType.email);
    spec.setTo(List.of("soc@example.com"));
    Secret secret = new SecretBuilder().withNewMetadata().withName("mail").endMetadata()
        .addToData("from", Base64.getEncoder().encodeToString("alerts@example.com".getBytes(StandardCharsets.UTF_8)))
        .build();
    AlertSink sink = new AlertSink();
    sink.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("mail").withNamespace("alerts")
        .build());
    sink.setSpec(spec);
    try (SinkDispatcher dispatcher = new SinkDispatcher(mail, OutboundLimits.DEFAULTS, Clock.systemUTC())) {
      return dispatcher.send(sink, SinkCredentials.from(secret), AlertFixtures.sample(), NotificationKind.OPENED,
          "msg-1");
    }
  }
}
