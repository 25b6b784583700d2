package io.spacecrab.api.v1alpha1;

/** What happens to the IAM user and key when the HoneyToken is deleted. */
public enum DeletionPolicy {
  Delete,
  Retain;

  /** The policy of this name; empty for anything else (the value is read as text so that a bad one never breaks reading the object). */
  public static java.util.Optional<DeletionPolicy> parse(String text) {
    for (DeletionPolicy v : values()) {
      if (v.name().equals(text)) {
        return java.util.Optional.of(v);
      }
    }
    return java.util.Optional.empty();
  }
}
