package io.spacecrab.aws;

/** A freshly created access key with its secret. {@link #toString()} never prints the secret. */
public record IssuedKey(String accessKeyId, String secretAccessKey) {
  @Override
  public String toString() {
    return "IssuedKey[" + accessKeyId + "]";
  }
}
