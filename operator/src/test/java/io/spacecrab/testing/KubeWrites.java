package io.spacecrab.testing;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records every write (POST, PUT, PATCH, DELETE) an operator's Kubernetes client makes, Events excluded. */
public final class KubeWrites implements Interceptor {
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
  private final List<String> writes = new CopyOnWriteArrayList<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String path = request.uri().getPath();
    if (WRITES.contains(request.method()) && !path.contains("/events")) {
      writes.add(request.method() + " " + path);
    }
  }

  /** Every write so far, as "METHOD path". */
  public List<String> all() {
    return List.copyOf(writes);
  }
}
