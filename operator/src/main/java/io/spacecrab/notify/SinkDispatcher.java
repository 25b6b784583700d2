package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.MailSender;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Sends one notification about one incident to one sink and says how it went. */
public class SinkDispatcher {
  private final MailSender mail;
  private final OutboundLimits limits;
  private final Clock clock;

  public SinkDispatcher(MailSender mail, OutboundLimits limits, Clock clock) {
    this.mail = mail;
    this.limits = limits;
    this.clock = clock;
  }

  /**
   * @param deliveryId stable for this notification (the same after a restart), so receivers can
   *     drop a repeat: the webhook-id, and part of the email
   */
  public DeliveryResult send(AlertSinkSpec sink, SinkCredentials credentials, AlertView alert, NotificationKind kind,
      String deliveryId) {
    return switch (sink.getType()) {
      case pagerduty -> post(sink, sink.getEndpoint() != null ? sink.getEndpoint()
          : PagerDutyEvent.ENQUEUE_URI.toString(), Map.of("Content-Type", "application/json"),
          (kind == NotificationKind.RESOLVED ? PagerDutyEvent.resolve(credentials.get("routingKey"), alert)
              : PagerDutyEvent.trigger(credentials.get("routingKey"), alert, severity(sink))).body());
      case slack -> post(sink, credentials.get("webhookUrl"), Map.of("Content-Type", "application/json"),
          SlackMessage.of(alert, kind).body());
      case webhook -> {
        byte[] body = WebhookPayload.of(alert, kind, clock.instant()).body();
        Map<String, String> headers = new java.util.HashMap<>(
            new StandardWebhookSigner(credentials.signingSecrets()).headers(deliveryId, clock.instant(), body));
        headers.put("Content-Type", "application/json");
        yield post(sink, credentials.get("url"), headers, body);
      }
      case email -> email(sink, credentials, alert, kind);
    };
  }

  private DeliveryResult post(AlertSinkSpec sink, String url, Map<String, String> headers, byte[] body) {
    DestinationPolicy policy = new DestinationPolicy(Boolean.TRUE.equals(sink.getAllowHttp()),
        sink.getAllowDestinations());
    OutboundRequest request;
    try {
      request = OutboundRequest.post(url, headers, body);
    } catch (IllegalArgumentException e) {
      return new DeliveryResult(DeliveryResult.Outcome.FAILED_PERMANENTLY, 0, Optional.empty(),
          "the destination in the Secret is not a valid URL");
    }
    return new OutboundHttp(policy, limits, clock).send(request);
  }

  private DeliveryResult email(AlertSinkSpec sink, SinkCredentials credentials, AlertView alert, NotificationKind kind) {
    if (sink.getTo() == null || sink.getTo().isEmpty()) {
      return new DeliveryResult(DeliveryResult.Outcome.FAILED_PERMANENTLY, 0, Optional.empty(),
          "spec.to names no recipient");
    }
    EmailMessage message = EmailMessage.of(alert, kind);
    try {
      mail.send(credentials.get("from"), sink.getTo(), message.subject(), message.body());
      return new DeliveryResult(DeliveryResult.Outcome.SUCCESS, 200, Optional.empty(), null);
    } catch (AwsCallException e) {
      return new DeliveryResult(e.retryable() ? DeliveryResult.Outcome.RETRY : DeliveryResult.Outcome.FAILED_PERMANENTLY,
          0, Optional.empty(), e.getMessage());
    }
  }

  private static PagerDutyEvent.Severity severity(AlertSinkSpec sink) {
    if (sink.getSeverity() == null) {
      return PagerDutyEvent.Severity.CRITICAL;
    }
    try {
      return PagerDutyEvent.Severity.valueOf(sink.getSeverity().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return PagerDutyEvent.Severity.CRITICAL;
    }
  }
}
