package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The values of a sink's Secret (which keys its type needs: {@link Sink#secretKeys}). {@link
 * #toString()} shows none of them.
 */
public final class SinkCredentials {
  private final Map<String, String> values;

  private SinkCredentials(Map<String, String> values) {
    this.values = values;
  }

  /** Which of these keys (a sink type's {@link Sink#secretKeys}) the Secret lacks (names only, never values). */
  public static List<String> missing(List<String> required, Secret secret) {
    List<String> missing = new ArrayList<>();
    for (String key : required) {
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
