package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The generic webhook: the {@link WebhookPayload}, signed (Standard Webhooks) with the Secret's
 * {@code signingSecret} (and {@code previousSigningSecret} during a rotation), posted to its {@code url}.
 */
final class WebhookSink extends HttpSink {
  private static final String URL = "url";
  private static final String SIGNING_SECRET = "signingSecret";
  private static final String PREVIOUS_SIGNING_SECRET = "previousSigningSecret";

  WebhookSink(SinkHttpClients clients) {
    super(clients);
  }

  @Override
  public List<String> secretKeys() {
    return List.of(URL, SIGNING_SECRET);
  }

  /** The URL as every URL in a Secret, then the signing secrets' format. */
  @Override
  public Optional<SinkValidation.Problem> checkSecret(AlertSinkSpec spec, String secretName,
      SinkCredentials credentials) {
    Optional<SinkValidation.Problem> destination = SinkValidation.destinationIn(secretName, URL, credentials, spec);
    if (destination.isPresent()) {
      return destination;
    }
    try {
      new StandardWebhookSigner(signingSecrets(credentials));
    } catch (IllegalArgumentException e) {
      // the signer's messages say which secret and what is wrong, never the secret
      return SinkValidation.problem("InvalidSecret", "Secret " + secretName + ": " + e.getMessage()
          + " (signingSecret is #1, previousSigningSecret #2).");
    }
    return Optional.empty();
  }

  @Override
  public OutboundRequest render(Notice notice) {
    byte[] body = WebhookPayload.of(notice.alert(), notice.kind(), notice.now()).body();
    StandardWebhookSigner signer;
    try {
      signer = new StandardWebhookSigner(signingSecrets(notice.credentials()));
    } catch (IllegalArgumentException e) {
      throw new Undeliverable(DeliveryResult.retry(0, Optional.empty(), e.getMessage()));
    }
    Map<String, String> headers = new HashMap<>(signer.headers(notice.deliveryId(), notice.now(), body));
    headers.putAll(JSON);
    return post(notice.credentials().get(URL), headers, body);
  }

  /** The current signing secret, then the previous one during a rotation. */
  private static List<String> signingSecrets(SinkCredentials credentials) {
    List<String> secrets = new ArrayList<>();
    if (credentials.get(SIGNING_SECRET) != null) {
      secrets.add(credentials.get(SIGNING_SECRET));
    }
    if (credentials.get(PREVIOUS_SIGNING_SECRET) != null) {
      secrets.add(credentials.get(PREVIOUS_SIGNING_SECRET));
    }
    return secrets;
  }
}
