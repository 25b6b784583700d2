package io.spacecrab.api.v1alpha1;

/** What happens to the IAM user and key when the HoneyToken is deleted. */
public enum DeletionPolicy {
  Delete,
  Retain
}
