package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;

/**
 * One sink type: what it sends for a notification ({@link #render}, pure) and how it sends it
 * ({@link #send}, which classifies a failure as retry or permanent). Adding a sink type is one
 * implementation, registered in {@link SinkDispatcher}, and its golden files.
 *
 * @param <M> what this type sends: an {@link OutboundRequest} for HTTP sinks
 */
interface Sink<M> {

  /**
   * The message for this notice; no I/O, same input same message.
   *
   * @throws Undeliverable when the sink's spec or Secret cannot make one (its result says why)
   */
  M render(Notice notice);

  /** Sends the message once; never throws for a failed delivery, whose outcome says whether to retry. */
  DeliveryResult send(AlertSink sink, M message);

  /** A notice the sink cannot render; {@link #result()} is the outcome to record, its error safe to show. */
  final class Undeliverable extends RuntimeException {
    private final transient DeliveryResult result;

    Undeliverable(DeliveryResult result) {
      super(result.error(), null, false, false);
      this.result = result;
    }

    DeliveryResult result() {
      return result;
    }
  }
}
