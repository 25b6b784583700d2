package io.spacecrab.notify;

import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.AlertSinkSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@link OutboundHttp} (one JDK HTTP client: a selector thread, a connection pool) per
 * AlertSink configuration, shared by every delivery to that sink. A sink's configuration is its
 * uid and generation: a changed spec gets a new client and the old one is closed as soon as no
 * delivery uses it ({@link #changed} does so at once, without waiting for the next delivery);
 * {@link #forget} closes a deleted sink's client the same way.
 * Thread-safe.
 */
public final class SinkHttpClients implements AutoCloseable {
  private final OutboundLimits limits;
  private final Clock clock;
  private final Map<String, Client> bySink = new HashMap<>();

  public SinkHttpClients(OutboundLimits limits, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * The client for the sink's current configuration, held until the lease is closed.
   *
   * @throws IllegalArgumentException when {@code spec.allowDestinations} has an entry that is
   *     neither a host name nor an IP address or CIDR block
   */
  public synchronized Lease lease(AlertSink sink) {
    String key = key(sink);
    String configuration = configuration(sink);
    Client client = bySink.get(key);
    if (client == null || !client.configuration.equals(configuration)) {
      AlertSinkSpec spec = sink.getSpec();
      DestinationPolicy policy = new DestinationPolicy(Boolean.TRUE.equals(spec.getAllowHttp()),
          spec.getAllowDestinations() == null ? List.of() : spec.getAllowDestinations());
      if (client != null) {
        retire(client);
      }
      client = new Client(configuration, new OutboundHttp(policy, limits, clock));
      bySink.put(key, client);
    }
    client.leases++;
    return new Lease(client);
  }

  /** The sink changed: its client, unless already made for this configuration, is closed once idle. */
  public synchronized void changed(AlertSink sink) {
    Client client = bySink.get(key(sink));
    if (client != null && !client.configuration.equals(configuration(sink))) {
      bySink.remove(key(sink));
      retire(client);
    }
  }

  /** The sink is gone: its client is closed once no delivery uses it. */
  public synchronized void forget(AlertSink sink) {
    Client client = bySink.remove(key(sink));
    if (client != null) {
      retire(client);
    }
  }

  /** Clients kept for sinks now (those being closed not counted). */
  public synchronized int open() {
    return bySink.size();
  }

  /** Closes every client (those in use once their delivery ends). */
  @Override
  public synchronized void close() {
    for (Client client : new ArrayList<>(bySink.values())) {
      retire(client);
    }
    bySink.clear();
  }

  private void retire(Client client) {
    client.retired = true;
    if (client.leases == 0) {
      client.http.close();
    }
  }

  private synchronized void release(Client client) {
    client.leases--;
    if (client.retired && client.leases == 0) {
      client.http.close();
    }
  }

  private static String configuration(AlertSink sink) {
    return sink.getMetadata().getUid() + "/" + sink.getMetadata().getGeneration();
  }

  private static String key(AlertSink sink) {
    return sink.getMetadata().getNamespace() + "/" + sink.getMetadata().getName();
  }

  private static final class Client {
    final String configuration;
    final OutboundHttp http;
    int leases;
    boolean retired;

    Client(String configuration, OutboundHttp http) {
      this.configuration = configuration;
      this.http = http;
    }
  }

  /** A sink's client, in use until {@link #close()}. */
  public final class Lease implements AutoCloseable {
    private final Client client;
    private boolean released;

    private Lease(Client client) {
      this.client = client;
    }

    public OutboundHttp http() {
      return client.http;
    }

    @Override
    public void close() {
      if (!released) {
        released = true;
        release(client);
      }
    }
  }
}
