package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.util.List;
import java.util.Optional;

/** A Slack incoming webhook: the {@link SlackMessage} posted to the URL in the Secret. */
final class SlackSink extends HttpSink {
  private static final String WEBHOOK_URL = "webhookUrl";

  SlackSink(SinkHttpClients clients) {
    super(clients);
  }

  @Override
  public List<String> secretKeys() {
    return List.of(WEBHOOK_URL);
  }

  @Override
  public Optional<SinkValidation.Problem> checkSecret(AlertSinkSpec spec, String secretName,
      SinkCredentials credentials) {
    return SinkValidation.destinationIn(secretName, WEBHOOK_URL, credentials, spec);
  }

  @Override
  public OutboundRequest render(Notice notice) {
    return post(notice.credentials().get(WEBHOOK_URL), JSON,
        SlackMessage.of(notice.alert(), notice.kind()).body());
  }
}
