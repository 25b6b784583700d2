package io.spacecrab.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds a Lease in one namespace while it can (fabric8's LeaderElector), and contends again after
 * losing it: at most one holder at a time, as the API server's optimistic concurrency on the Lease
 * decides. {@link #isLeader()} is what the holder's periodic work checks before each run.
 */
public final class LeaseLeadership implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaseLeadership.class);
  static final Duration LEASE = Duration.ofSeconds(15);
  static final Duration RENEW_DEADLINE = Duration.ofSeconds(10);
  static final Duration RETRY = Duration.ofSeconds(2);

  private final KubernetesClient client;
  private final String namespace;
  private final String name;
  private final String identity;
  private volatile boolean leader;
  private volatile boolean closed;
  private volatile CompletableFuture<?> running;

  private LeaseLeadership(KubernetesClient client, String namespace, String name, String identity) {
    this.client = client;
    this.namespace = namespace;
    this.name = name;
    this.identity = identity;
  }

  /** Starts contending for Lease {@code name} in {@code namespace} as {@code identity}. */
  public static LeaseLeadership start(KubernetesClient client, String namespace, String name, String identity) {
    LeaseLeadership l = new LeaseLeadership(client, namespace, name, identity);
    l.contend();
    return l;
  }

  /** True while this replica holds the Lease. */
  public boolean isLeader() {
    return leader && !closed;
  }

  private synchronized void contend() {
    if (closed) {
      return;
    }
    var config = new LeaderElectionConfigBuilder().withName(name)
        .withLock(new LeaseLock(namespace, name, identity))
        .withLeaseDuration(LEASE).withRenewDeadline(RENEW_DEADLINE).withRetryPeriod(RETRY)
        .withReleaseOnCancel(true)
        .withLeaderCallbacks(new LeaderCallbacks(
            () -> {
              leader = true;
              log.info("holding Lease {}/{}", namespace, name);
            },
            () -> {
              leader = false;
              log.info("no longer holding Lease {}/{}", namespace, name);
            },
            holder -> log.debug("Lease {}/{} held by {}", namespace, name, holder)))
        .build();
    running = client.leaderElector().withConfig(config).build().start();
    // the elector ends when it loses the Lease (or cannot renew it in time): contend again
    running.whenComplete((ok, error) -> {
      leader = false;
      if (!closed) {
        if (error != null && !(error instanceof java.util.concurrent.CancellationException)) {
          log.warn("leader election for Lease {}/{} stopped: {}; contending again", namespace, name, error.toString());
        }
        CompletableFuture.delayedExecutor(RETRY.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
            .execute(this::contend);
      }
    });
  }

  /** Stops contending and releases the Lease if held, so another replica takes over at once. */
  @Override
  public void close() {
    closed = true;
    leader = false;
    CompletableFuture<?> r = running;
    if (r != null) {
      r.cancel(true);
    }
  }
}
