package io.spacecrab.api.v1alpha1;

/** The kinds of alert destination. */
public enum SinkType {
  pagerduty,
  slack,
  webhook,
  email
}
