package io.spacecrab.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records every write (POST, PUT, PATCH, DELETE) an operator's Kubernetes client makes, Events
 * excluded, with the time it left (after the client's write limit, which runs first).
 */
public final class KubeWrites implements Interceptor {
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** One write: when (System.nanoTime) and what ("METHOD path"). */
  public record Write(long nanos, String what) {}

  private final List<Write> writes = new CopyOnWriteArrayList<>();
  private final boolean withEvents;

  public KubeWrites() {
    this(false);
  }

  public KubeWrites(boolean withEvents) {
    this.withEvents = withEvents;
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    if (WRITES.contains(request.method()) && (withEvents || !path.contains("/events"))) {
      writes.add(new Write(System.nanoTime(), request.method() + " " + path));
    }
  }

  /** Every write so far, as "METHOD path". */
  public List<String> all() {
    return writes.stream().map(Write::what).toList();
  }

  /** Every write so far, with its time. */
  public List<Write> timed() {
    return List.copyOf(writes);
  }

  /** The most writes that left within any one second (sliding window). */
  public int mostInOneSecond() {
    List<Write> all = timed();
    int most = 0;
    int start = 0;
    for (int end = 0; end < all.size(); end++) {
      while (all.get(end).nanos() - all.get(start).nanos() >= 1_000_000_000L) {
        start++;
      }
      most = Math.max(most, end - start + 1);
    }
    return most;
  }
}
