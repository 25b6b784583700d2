package io.spacecrab.notify;

import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.spacecrab.api.v1alpha1.Delivery;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.testing.KubeApi;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Every delivery state the operator wrote for each sink, in order, seen through a watch on the
 * alerts. The status keeps only the latest attempt (a delivered sink has no lastError), so this is
 * how a test sees the failed attempt before a successful retry, and when it ended.
 */
final class DeliveryHistory implements AutoCloseable {
  /** One written state of one sink's delivery, and when the watch saw it. */
  record Step(Instant seen, String state, Integer attempts, Integer httpStatus, String lastError,
      String nextAttemptTime) {
    boolean sameAs(Step other) {
      return other != null && Objects.equals(state, other.state) && Objects.equals(attempts, other.attempts)
          && Objects.equals(httpStatus, other.httpStatus) && Objects.equals(lastError, other.lastError)
          && Objects.equals(nextAttemptTime, other.nextAttemptTime);
    }
  }

  private final Map<String, List<Step>> steps = new ConcurrentHashMap<>();
  private final Watch watch;

  /** Starts watching; start it before the operator so that no write is missed. */
  DeliveryHistory(KubeApi kube, String namespace) {
    watch = kube.client().resources(HoneyTokenAlert.class).inNamespace(namespace).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, HoneyTokenAlert alert) {
        if (alert.getStatus() == null) {
          return;
        }
        Instant now = Instant.now();
        for (Delivery d : alert.getStatus().getDeliveries()) {
          List<Step> list = steps.computeIfAbsent(d.getSink(), k -> new CopyOnWriteArrayList<>());
          Step step = new Step(now, d.getState(), d.getAttempts(), d.getLastHttpStatus(), d.getLastError(),
              d.getNextAttemptTime());
          // every status write repeats the other sinks' deliveries: keep changes only
          if (!step.sameAs(list.isEmpty() ? null : list.get(list.size() - 1))) {
            list.add(step);
          }
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        // closed by the test
      }
    });
  }

  /** The states of this sink's delivery, oldest first. */
  List<Step> of(String sink) {
    return List.copyOf(steps.getOrDefault(sink, List.of()));
  }

  @Override
  public void close() {
    watch.close();
  }
}
