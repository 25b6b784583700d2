package io.spacecrab.notify;

import java.nio.charset.StandardCharsets;

/** A sink's JSON request body (PagerDuty event, Slack message, webhook payload). */
public interface JsonPayload {

  /** The JSON body as a string; it may hold a routing key or a URL's secret part: send it, never log it. */
  String json();

  /** The JSON body as UTF-8 bytes, ready to post. */
  default byte[] body() {
    return json().getBytes(StandardCharsets.UTF_8);
  }
}
