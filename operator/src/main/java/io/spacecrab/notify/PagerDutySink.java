package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * PagerDuty Events API v2: a trigger (opened, updated) or a resolve, to the spec's endpoint or
 * PagerDuty's. The resolve is sent even without updates: it closes the incident.
 */
final class PagerDutySink extends HttpSink {
  private static final String ROUTING_KEY = "routingKey";

  PagerDutySink(SinkHttpClients clients) {
    super(clients);
  }

  @Override
  public List<String> secretKeys() {
    return List.of(ROUTING_KEY);
  }

  /** {@code spec.endpoint}, when set, must be a destination that can be allowed. */
  @Override
  public Optional<SinkValidation.Problem> checkSpec(AlertSinkSpec spec) {
    return spec.getEndpoint() == null ? Optional.empty()
        : SinkValidation.destination("spec.endpoint", spec.getEndpoint(), spec);
  }

  @Override
  public boolean alwaysSendsResolve() {
    return true;
  }

  @Override
  public OutboundRequest render(Notice notice) {
    AlertSinkSpec spec = notice.spec();
    String routingKey = notice.credentials().get(ROUTING_KEY);
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
