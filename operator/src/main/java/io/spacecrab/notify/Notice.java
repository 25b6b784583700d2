package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.time.Instant;

/**
 * One notification for one sink to render: what the sink is, what its Secret holds, the incident,
 * and what is announced.
 *
 * @param deliveryId the notification's id, the same on every attempt of it (webhook-id)
 * @param now when it is sent (the webhook's timestamp)
 */
record Notice(
    AlertSinkSpec spec,
    SinkCredentials credentials,
    AlertView alert,
    NotificationKind kind,
    String deliveryId,
    Instant now) {

  @Override
  public String toString() {
    return "Notice[" + spec.getType() + " " + kind + " " + deliveryId + "]";
  }
}
