package io.spacecrab.notify;

/** A Slack incoming webhook: the {@link SlackMessage} posted to the URL in the Secret. */
final class SlackSink extends HttpSink {

  SlackSink(SinkHttpClients clients) {
    super(clients);
  }

  @Override
  public OutboundRequest render(Notice notice) {
    return post(notice.credentials().get("webhookUrl"), JSON,
        SlackMessage.of(notice.alert(), notice.kind()).body());
  }
}
