package io.spacecrab.token;

import io.spacecrab.api.v1alpha1.SecretFormat;
import io.spacecrab.api.v1alpha1.SecretTarget;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/** The data of the target Secret: the key laid out as the HoneyToken's secret spec asks. */
public final class CredentialsSecret {
  public static final String ENV_KEY_ID = "AWS_ACCESS_KEY_ID";
  public static final String ENV_SECRET = "AWS_SECRET_ACCESS_KEY";

  private CredentialsSecret() {}

  /** Secret data (base64 values, as in the Secret's data field). */
  public static Map<String, String> data(SecretTarget target, String accessKeyId, String secretAccessKey) {
    Map<String, String> plain = new TreeMap<>();
    SecretFormat format = target.effectiveFormat();
    if (format == SecretFormat.env || format == SecretFormat.both) {
      plain.put(ENV_KEY_ID, accessKeyId);
      plain.put(ENV_SECRET, secretAccessKey);
      if (target.getRegion() != null) {
        plain.put("AWS_REGION", target.getRegion());
        plain.put("AWS_DEFAULT_REGION", target.getRegion());
      }
    }
    if (format == SecretFormat.credentials || format == SecretFormat.both) {
      StringBuilder ini = new StringBuilder()
          .append('[').append(target.effectiveProfile()).append("]\n")
          .append("aws_access_key_id = ").append(accessKeyId).append('\n')
          .append("aws_secret_access_key = ").append(secretAccessKey).append('\n');
      if (target.getRegion() != null) {
        ini.append("region = ").append(target.getRegion()).append('\n');
      }
      plain.put(target.effectiveCredentialsKey(), ini.toString());
    }
    Map<String, String> data = new TreeMap<>();
    plain.forEach((k, v) -> data.put(k, Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
    return data;
  }
}
