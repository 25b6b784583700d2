package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.v1alpha1.SinkType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The secrets a sink needs, read from its Secret: PagerDuty routing key, Slack webhook URL,
 * webhook URL and signing secrets, email sender. {@link #toString()} shows none of them.
 */
public final class SinkCredentials {
  private final Map<String, String> values;

  private SinkCredentials(Map<String, String> values) {
    this.values = values;
  }

  /** The Secret's keys this sink type needs; a missing key is listed in {@link #missing}. */
  public static List<String> required(SinkType type) {
    return switch (type) {
      case pagerduty -> List.of("routingKey");
      case slack -> List.of("webhookUrl");
      case webhook -> List.of("url", "signingSecret");
      case email -> List.of("from");
    };
  }

  /** Keys the type needs that the Secret lacks (names only, never values). */
  public static List<String> missing(SinkType type, Secret secret) {
    List<String> missing = new ArrayList<>();
    for (String key : required(type)) {
      if (value(secret, key) == null) {
        missing.add(key);
      }
    }
    return missing;
  }

  public static SinkCredentials from(Secret secret) {
    Map<String, String> values = new java.util.HashMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> values.put(k, decode(v)));
    }
    if (secret.getStringData() != null) {
      values.putAll(secret.getStringData());
    }
    return new SinkCredentials(values);
  }

  public String get(String key) {
    String v = values.get(key);
    return v == null ? null : v.trim();
  }

  /** The current signing secret, then the previous one during a rotation. */
  public List<String> signingSecrets() {
    List<String> secrets = new ArrayList<>();
    if (get("signingSecret") != null) {
      secrets.add(get("signingSecret"));
    }
    if (get("previousSigningSecret") != null) {
      secrets.add(get("previousSigningSecret"));
    }
    return secrets;
  }

  private static String value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null && !decode(secret.getData().get(key)).isBlank()) {
      return "set";
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null) {
      return "set";
    }
    return null;
  }

  private static String decode(String base64) {
    try {
      return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  @Override
  public String toString() {
    return "SinkCredentials" + values.keySet();
  }
}
