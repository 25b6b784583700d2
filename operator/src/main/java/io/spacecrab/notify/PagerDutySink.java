package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.util.Locale;

/** PagerDuty Events API v2: a trigger (opened, updated) or a resolve, to the spec's endpoint or PagerDuty's. */
final class PagerDutySink extends HttpSink {

  PagerDutySink(SinkHttpClients clients) {
    super(clients);
  }

  @Override
  public OutboundRequest render(Notice notice) {
    AlertSinkSpec spec = notice.spec();
    String routingKey = notice.credentials().get("routingKey");
    PagerDutyEvent event = notice.kind() == NotificationKind.RESOLVED
        ? PagerDutyEvent.resolve(routingKey, notice.alert())
        : PagerDutyEvent.trigger(routingKey, notice.alert(), severity(spec));
    String url = spec.getEndpoint() != null ? spec.getEndpoint() : PagerDutyEvent.ENQUEUE_URI.toString();
    return post(url, JSON, event.body());
  }

  private static PagerDutyEvent.Severity severity(AlertSinkSpec spec) {
    if (spec.getSeverity() == null) {
      return PagerDutyEvent.Severity.CRITICAL;
    }
    try {
      return PagerDutyEvent.Severity.valueOf(spec.getSeverity().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return PagerDutyEvent.Severity.CRITICAL;
    }
  }
}
