package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.SinkType;
import io.spacecrab.aws.MailSender;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;

/**
 * Sends one notification about one incident to one sink and says how it went: the sink's type
 * ({@link Sink}) renders and sends it; HTTP sinks go through their own client, kept between
 * deliveries ({@link SinkHttpClients}). The one place that maps each {@link SinkType} to its
 * {@link Sink}, for delivery and for {@link SinkValidation}.
 */
public class SinkDispatcher implements AutoCloseable {
  private final SinkHttpClients clients;
  private final Map<SinkType, Sink<?>> sinks = new EnumMap<>(SinkType.class);
  private final Clock clock;

  public SinkDispatcher(MailSender mail, OutboundLimits limits, Clock clock) {
    this.clients = new SinkHttpClients(limits, clock);
    this.clock = clock;
    sinks.put(SinkType.pagerduty, new PagerDutySink(clients));
    sinks.put(SinkType.slack, new SlackSink(clients));
    sinks.put(SinkType.webhook, new WebhookSink(clients));
    sinks.put(SinkType.email, new EmailSink(mail));
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
    Notice notice = new Notice(sinkResource.getSpec(), credentials, alert, kind, deliveryId, clock.instant());
    return deliver(sink(notice.spec().getType()), sinkResource, notice);
  }

  /** The implementation of this sink type (every {@link SinkType} has one). */
  Sink<?> sink(SinkType type) {
    return sinks.get(type);
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

  private static <M> DeliveryResult deliver(Sink<M> sink, AlertSink sinkResource, Notice notice) {
    M message;
    try {
      message = sink.render(notice);
    } catch (Sink.Undeliverable e) {
      return e.result();
    }
    return sink.send(sinkResource, message);
  }
}
