package io.spacecrab.notify;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** The generic webhook: the {@link WebhookPayload}, signed (Standard Webhooks), posted to the URL in the Secret. */
final class WebhookSink extends HttpSink {

  WebhookSink(SinkHttpClients clients) {
    super(clients);
  }

  @Override
  public OutboundRequest render(Notice notice) {
    byte[] body = WebhookPayload.of(notice.alert(), notice.kind(), notice.now()).body();
    StandardWebhookSigner signer;
    try {
      signer = new StandardWebhookSigner(notice.credentials().signingSecrets());
    } catch (IllegalArgumentException e) {
      throw new Undeliverable(DeliveryResult.retry(0, Optional.empty(), e.getMessage()));
    }
    Map<String, String> headers = new HashMap<>(signer.headers(notice.deliveryId(), notice.now(), body));
    headers.putAll(JSON);
    return post(notice.credentials().get("url"), headers, body);
  }
}
