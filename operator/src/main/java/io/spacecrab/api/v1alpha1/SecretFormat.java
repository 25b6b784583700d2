package io.spacecrab.api.v1alpha1;

/** How the key is laid out in the target Secret. */
public enum SecretFormat {
  /** AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY entries, for envFrom. */
  env,
  /** An ~/.aws/credentials INI file under one key. */
  credentials,
  /** Both of the above in one Secret. */
  both
}
