package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.util.List;
import java.util.Optional;

/**
 * One sink type: what it needs ({@link #secretKeys}, its own checks of the spec and of what the
 * Secret holds, which {@link SinkValidation} runs after the generic ones), what it sends for a
 * notification ({@link #render}, pure) and how it sends it ({@link #send}, which classifies a
 * failure as retry or permanent). Adding a sink type is one implementation, registered in {@link
 * SinkDispatcher}, and its golden files.
 *
 * @param <M> what this type sends: an {@link OutboundRequest} for HTTP sinks
 */
interface Sink<M> {

  /** The keys its Secret must hold (never empty); a missing one makes the sink {@code SecretKeyMissing}. */
  List<String> secretKeys();

  /** The first problem of the spec's fields only this type uses, after the generic checks; none by default. */
  default Optional<SinkValidation.Problem> checkSpec(AlertSinkSpec spec) {
    return Optional.empty();
  }

  /**
   * The first problem of what the Secret {@code secretName} holds (every key of {@link #secretKeys}
   * is there), told without the values; none by default.
   */
  default Optional<SinkValidation.Problem> checkSecret(AlertSinkSpec spec, String secretName,
      SinkCredentials credentials) {
    return Optional.empty();
  }

  /**
   * Whether the resolve is sent even to a sink with {@code sendUpdates: false} (PagerDuty: it closes
   * the incident the trigger opened); false by default.
   */
  default boolean alwaysSendsResolve() {
    return false;
  }

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
