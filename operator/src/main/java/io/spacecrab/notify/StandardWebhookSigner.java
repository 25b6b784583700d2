package io.spacecrab.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies the Standard Webhooks way: {@code webhook-id}, {@code webhook-timestamp}
 * (Unix seconds) and {@code webhook-signature: v1,<base64 HMAC-SHA256(key, id.timestamp.body)>},
 * one signature per configured secret separated by spaces, so a receiver holding either the
 * old or the new secret verifies during a rotation. Secrets are {@code whsec_<base64>} (the
 * prefix may be left out) of 24 to 64 bytes. Neither {@link #toString()} nor any exception
 * message shows a secret.
 */
public final class StandardWebhookSigner {
  /** Header carrying the message id, the same on every retry of one message. */
  public static final String ID_HEADER = "webhook-id";
  /** Header carrying the attempt's Unix time in seconds. */
  public static final String TIMESTAMP_HEADER = "webhook-timestamp";
  /** Header carrying the space-separated {@code v1,<base64>} signatures. */
  public static final String SIGNATURE_HEADER = "webhook-signature";
  /** Prefix of a serialised secret. */
  public static final String SECRET_PREFIX = "whsec_";
  static final int MIN_KEY_BYTES = 24;
  static final int MAX_KEY_BYTES = 64;
  static final int MAX_ID_LENGTH = 255;
  private static final String ALGORITHM = "HmacSHA256";

  private final List<SecretKeySpec> keys;

  /** A signer with one or more secrets (the current one and, during a rotation, the next). */
  public StandardWebhookSigner(List<String> secrets) {
    if (secrets == null || secrets.isEmpty()) {
      throw new IllegalArgumentException("at least one signing secret is required");
    }
    List<SecretKeySpec> parsed = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      parsed.add(new SecretKeySpec(decode(secrets.get(i), i + 1), ALGORITHM));
    }
    this.keys = List.copyOf(parsed);
  }

  /**
   * The three headers for a body; {@code messageId} identifies the message across retries and
   * must be printable ASCII without spaces or full stops.
   */
  public Map<String, String> headers(String messageId, Instant timestamp, byte[] body) {
    long seconds = timestamp.getEpochSecond();
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(ID_HEADER, messageId);
    headers.put(TIMESTAMP_HEADER, Long.toString(seconds));
    headers.put(SIGNATURE_HEADER, signature(messageId, seconds, body));
    return headers;
  }

  /** The {@code webhook-signature} value: {@code v1,<base64>} per secret, space-separated. */
  public String signature(String messageId, long timestampSeconds, byte[] body) {
    requireMessageId(messageId);
    byte[] prefix = (messageId + "." + timestampSeconds + ".").getBytes(StandardCharsets.UTF_8);
    StringBuilder header = new StringBuilder();
    for (SecretKeySpec key : keys) {
      try {
        Mac mac = Mac.getInstance(ALGORITHM);
        mac.init(key);
        mac.update(prefix);
        mac.update(body);
        header.append(header.length() == 0 ? "" : " ").append("v1,")
            .append(Base64.getEncoder().encodeToString(mac.doFinal()));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 is not available");
      }
    }
    return header.toString();
  }

  /** How many secrets sign each message. */
  public int secretCount() {
    return keys.size();
  }

  @Override
  public String toString() {
    return "StandardWebhookSigner[" + keys.size() + (keys.size() == 1 ? " secret]" : " secrets]");
  }

  private static byte[] decode(String secret, int position) {
    String which = "signing secret #" + position;
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException(which + " is empty");
    }
    String encoded = secret.strip();
    if (encoded.startsWith(SECRET_PREFIX)) {
      encoded = encoded.substring(SECRET_PREFIX.length());
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(encoded);
    } catch (IllegalArgumentException e) {
      // the decoder's message quotes the offending character: not passed on
      throw new IllegalArgumentException(which + " is not whsec_ followed by base64");
    }
    if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException(which + " decodes to " + key.length
          + " bytes; Standard Webhooks secrets have " + MIN_KEY_BYTES + " to " + MAX_KEY_BYTES);
    }
    return key;
  }

  private static void requireMessageId(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH) {
      throw new IllegalArgumentException("message id must have 1 to " + MAX_ID_LENGTH
          + " characters");
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c <= ' ' || c >= 0x7f || c == '.') {
        throw new IllegalArgumentException(
            "message id must be printable ASCII without spaces or full stops");
      }
    }
  }
}
