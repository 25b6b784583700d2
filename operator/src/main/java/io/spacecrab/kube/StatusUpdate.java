package io.spacecrab.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.ConditionedStatus;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one way a status is built and written, in the manner of a status aggregator: keep a copy of
 * the status as read, let the reconciler compute the desired one, give every condition whose
 * status did not flip its lastTransitionTime back, compare the whole status, and write only when
 * it differs. The write is always conflict-checked: JOSDK's status patch carries the
 * resourceVersion it read (a 409 re-runs the reconcile), and {@link #write} updates with the
 * resourceVersion of the object it was given.
 */
public final class StatusUpdate<S extends ConditionedStatus> {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Conflicts a {@link #write} rides out before it gives up (each means another writer got there first). */
  static final int MAX_CONFLICTS = 10;

  private final S before;
  private final Supplier<S> empty;

  private StatusUpdate(S before, Supplier<S> empty) {
    this.before = before;
    this.empty = empty;
  }

  /** Starts from this status as read (null: none yet, taken as {@code empty}); keeps a deep copy of it. */
  public static <S extends ConditionedStatus> StatusUpdate<S> of(S current, Supplier<S> empty) {
    return new StatusUpdate<>(current == null ? empty.get() : copy(current), empty);
  }

  /** The status as read: a copy that changes made to the object's status since do not reach. */
  public S before() {
    return before;
  }

  /**
   * Whether {@code desired} differs from the status as read, in any field. First gives each of its
   * conditions whose status is unchanged the lastTransitionTime it had (so recomputing a condition
   * at another time is no change). Null is the empty status.
   */
  public boolean changes(S desired) {
    if (desired != null) {
      desired.setConditions(Conditions.keepTransitions(before.getConditions(), desired.getConditions()));
    }
    return !JSON.valueToTree(before).equals(desired == null ? JSON.valueToTree(empty.get()) : JSON.valueToTree(desired));
  }

  /** JOSDK's answer for the resource holding the desired status: a status patch when it {@link #changes}, else none. */
  public <R extends CustomResource<?, S>> UpdateControl<R> control(R resource) {
    return changes(resource.getStatus()) ? UpdateControl.patchStatus(resource) : UpdateControl.noUpdate();
  }

  /** As {@link #control}, after a failed reconcile: the status patch, or JOSDK's retry alone when nothing changed. */
  public <R extends CustomResource<?, S>> ErrorStatusUpdateControl<R> errorControl(R resource) {
    return changes(resource.getStatus()) ? ErrorStatusUpdateControl.patchStatus(resource)
        : ErrorStatusUpdateControl.defaultErrorProcessing();
  }

  /**
   * Applies {@code change} to the resource (it changes the status: only the status is written;
   * the resource has one, {@code empty} if it had none) and writes the status whole, with the
   * resourceVersion the resource carries: the API server refuses it (409) when the object changed
   * since. The first write always goes out (the caller decided there is something to write). On a
   * conflict the object is read again, the change applied to it as it is now, and written only when
   * that {@link #changes} its status; at most {@value #MAX_CONFLICTS} times. Returns the object as
   * written (or as read, when the change was already there); null when it is gone (or was re-created
   * as another object with the same name). Throws the API server's other errors.
   */
  public static <R extends CustomResource<?, S>, S extends ConditionedStatus> R write(KubernetesClient client,
      R resource, Supplier<S> empty, Consumer<R> change) {
    R target = resource;
    apply(target, empty, change);
    for (int conflicts = 0; ; conflicts++) {
      try {
        return client.resource(target).updateStatus();
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) {
          return null;
        }
        if (e.getCode() != 409 || conflicts >= MAX_CONFLICTS) {
          throw e;
        }
      }
      R now = client.resource(resource).get();
      if (now == null || !Objects.equals(now.getMetadata().getUid(), resource.getMetadata().getUid())) {
        return null;
      }
      StatusUpdate<S> update = of(now.getStatus(), empty);
      apply(now, empty, change);
      if (!update.changes(now.getStatus())) {
        return now;
      }
      target = now;
    }
  }

  private static <R extends CustomResource<?, S>, S extends ConditionedStatus> void apply(R resource, Supplier<S> empty,
      Consumer<R> change) {
    if (resource.getStatus() == null) {
      resource.setStatus(empty.get());
    }
    change.accept(resource);
  }

  @SuppressWarnings("unchecked")
  private static <S> S copy(S status) {
    return (S) JSON.convertValue(status, status.getClass());
  }
}
