package io.spacecrab.notify;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A POST to make. The URI may itself be a secret (a Slack webhook URL is), so
 * {@link #toString()} shows the scheme and host only, and {@link #post(String, Map, byte[])}
 * never puts the URL in an exception message.
 *
 * @param headers sent as given, in order; {@code Content-Type} defaults to JSON
 */
public record OutboundRequest(URI uri, Map<String, String> headers, byte[] body) {

  public OutboundRequest {
    Objects.requireNonNull(uri, "uri");
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(body, "body");
  }

  /** The request for a URL given as text (from a Secret): refuses a malformed URL without echoing it. */
  public static OutboundRequest post(String url, Map<String, String> headers, byte[] body) {
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("destination URL is empty");
    }
    try {
      URI uri = new URI(url.strip());
      if (!uri.isAbsolute() || uri.getHost() == null) {
        throw new IllegalArgumentException("destination URL is not an absolute URL with a host");
      }
      return new OutboundRequest(uri, headers, body);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("destination URL is not a valid URL");
    }
  }

  /** {@code scheme://host}: the part of the destination that is safe to show. */
  public String destination() {
    return destinationOf(uri);
  }

  static String destinationOf(URI uri) {
    String host = uri.getHost() == null ? "?" : uri.getHost();
    return CleanText.line(String.valueOf(uri.getScheme()), 16) + "://" + CleanText.line(host, 253);
  }

  @Override
  public String toString() {
    return "OutboundRequest[POST " + destination() + ", " + headers.size() + " headers, "
        + body.length + " bytes]";
  }
}
