package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.MailSender;
import java.time.Clock;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Sends one notification about one incident to one sink and says how it went; HTTP sinks go
 * through their own client, kept between deliveries ({@link SinkHttpClients}).
 */
public class SinkDispatcher implements AutoCloseable {
  private final MailSender mail;
  private final SinkHttpClients clients;
  private final Clock clock;

  public SinkDispatcher(MailSender mail, OutboundLimits limits, Clock clock) {
    this.mail = mail;
    this.clients = new SinkHttpClients(limits, clock);
    this.clock = clock;
  }

  /**
   * Sends once; never throws for a failed delivery.
   *
   * @param deliveryId the notification's id, the same on every attempt of it (after a restart
   *     too), so receivers can drop a repeat: the webhook-id. PagerDuty deduplicates on the
   *     incident key ({@code dedup_key}), which email and Slack messages show too.
   */
  public DeliveryResult send(AlertSink sinkResource, SinkCredentials credentials, AlertView alert,
      NotificationKind kind, String deliveryId) {
    AlertSinkSpec sink = sinkResource.getSpec();
    return switch (sink.getType()) {
      case pagerduty -> post(sinkResource, sink.getEndpoint() != null ? sink.getEndpoint()
          : PagerDutyEvent.ENQUEUE_URI.toString(), Map.of("Content-Type", "application/json"),
          (kind == NotificationKind.RESOLVED ? PagerDutyEvent.resolve(credentials.get("routingKey"), alert)
              : PagerDutyEvent.trigger(credentials.get("routingKey"), alert, severity(sink))).body());
      case slack -> post(sinkResource, credentials.get("webhookUrl"), Map.of("Content-Type", "application/json"),
          SlackMessage.of(alert, kind).body());
      case webhook -> {
        byte[] body = WebhookPayload.of(alert, kind, clock.instant()).body();
        StandardWebhookSigner signer;
        try {
          signer = new StandardWebhookSigner(credentials.signingSecrets());
        } catch (IllegalArgumentException e) {
          yield new DeliveryResult(DeliveryResult.Outcome.RETRY, 0, Optional.empty(), e.getMessage());
        }
        Map<String, String> headers = new java.util.HashMap<>(signer.headers(deliveryId, clock.instant(), body));
        headers.put("Content-Type", "application/json");
        yield post(sinkResource, credentials.get("url"), headers, body);
      }
      case email -> email(sink, credentials, alert, kind);
    };
  }

  /** The sink's spec changed: its HTTP client for the former spec is closed once no delivery uses it. */
  public void changed(AlertSink sink) {
    clients.changed(sink);
  }

  /** The sink was deleted: its HTTP client is closed once no delivery uses it. */
  public void forget(AlertSink sink) {
    clients.forget(sink);
  }

  /** HTTP clients kept for sinks now. */
  public int openHttpClients() {
    return clients.open();
  }

  /** Closes every HTTP client. */
  @Override
  public void close() {
    clients.close();
  }

  private DeliveryResult post(AlertSink sink, String url, Map<String, String> headers, byte[] body) {
    OutboundRequest request;
    try {
      request = OutboundRequest.post(url, headers, body);
    } catch (IllegalArgumentException e) {
      return new DeliveryResult(DeliveryResult.Outcome.FAILED_PERMANENTLY, 0, Optional.empty(),
          "the destination in the Secret is not a valid URL");
    }
    SinkHttpClients.Lease lease;
    try {
      lease = clients.lease(sink);
    } catch (IllegalArgumentException e) {
      return new DeliveryResult(DeliveryResult.Outcome.RETRY, 0, Optional.empty(),
          "spec.allowDestinations is not valid (see the AlertSink's Ready condition)");
    }
    try (lease) {
      return lease.http().send(request);
    }
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
