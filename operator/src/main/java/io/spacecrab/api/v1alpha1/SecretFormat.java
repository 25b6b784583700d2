package io.spacecrab.api.v1alpha1;

/** How the key is laid out in the target Secret. */
public enum SecretFormat {
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY entries, for envFrom. */
  env,
  /** An ~/.aws/credentials INI file under one key. */
  credentials,
  /** Both of the above in one Secret. */
  both;

  /** The format of this name; empty for anything else (the value is read as text so that a bad one never breaks reading the object). */
  public static java.util.Optional<SecretFormat> parse(String text) {
    for (SecretFormat v : values()) {
      if (v.name().equals(text)) {
        return java.util.Optional.of(v);
      }
    }
    return java.util.Optional.empty();
  }
}
