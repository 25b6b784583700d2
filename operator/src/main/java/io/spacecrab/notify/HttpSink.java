package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;
import java.util.Map;
import java.util.Optional;

/**
 * A sink type that posts JSON: through the sink's own client ({@link SinkHttpClients}), whose
 * {@link OutboundHttp} classifies the response (2xx delivered; 408, 429, 5xx and network errors
 * retried; other statuses permanent).
 */
abstract class HttpSink implements Sink<OutboundRequest> {
  static final Map<String, String> JSON = Map.of("Content-Type", "application/json");

  private final SinkHttpClients clients;

  HttpSink(SinkHttpClients clients) {
    this.clients = clients;
  }

  @Override
  public final DeliveryResult send(AlertSink sink, OutboundRequest request) {
    SinkHttpClients.Lease lease;
    try {
      lease = clients.lease(sink);
    } catch (IllegalArgumentException e) {
      return DeliveryResult.retry(0, Optional.empty(),
          "spec.allowDestinations is not valid (see the AlertSink's Ready condition)");
    }
    try (lease) {
      return lease.http().send(request);
    }
  }

  /** A POST of this body to the URL the Secret holds; a URL that is none is a permanent failure. */
  static OutboundRequest post(String url, Map<String, String> headers, byte[] body) {
    try {
      return OutboundRequest.post(url, headers, body);
    } catch (IllegalArgumentException e) {
      throw new Undeliverable(DeliveryResult.failed(0, "the destination in the Secret is not a valid URL"));
    }
  }
}
