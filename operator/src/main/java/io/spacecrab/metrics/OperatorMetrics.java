package io.spacecrab.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.aws.IamCallBudget;
import io.spacecrab.kube.KubeWriteLimiter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator deployment's progress and health: tokens Ready or not, each ClusterHoneyToken's
 * rollout counts, the IAM call budget, Kubernetes writes, and alert deliveries by sink type and
 * outcome. Tag values come from small closed sets, plus ClusterHoneyToken names (a handful,
 * chosen by the platform team); never a token's namespace, key id or user name.
 */
public class OperatorMetrics {
  /** Outcomes of one delivery attempt. */
  public enum DeliveryOutcome {
    delivered, retrying, failed, suppressed
  }

  private final MeterRegistry registry;
  private final Map<String, Boolean> tokenReady = new ConcurrentHashMap<>();
  private final Map<String, int[]> rollouts = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> lastDelivered = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.AtomicLong> pipelineUp = new ConcurrentHashMap<>();

  public OperatorMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (boolean ready : new boolean[] {true, false}) {
      Gauge.builder("spacecrab_tokens", tokenReady, m -> m.values().stream().filter(v -> v == ready).count())
          .description("HoneyTokens this operator has reconciled, by Ready condition")
          .tag("ready", Boolean.toString(ready)).register(registry);
    }
  }

  /** Metrics kept in memory only (tests and tools that do not serve /metrics). */
  public static OperatorMetrics inMemory() {
    return new OperatorMetrics(new SimpleMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Reports the IAM budget's current rate, waiting callers, granted calls and throttling answers. */
  public void watch(IamCallBudget budget) {
    Gauge.builder("spacecrab_iam_budget_calls_per_second", budget, IamCallBudget::currentRate)
        .description("IAM calls per second the budget allows now (lowered after throttling)").register(registry);
    Gauge.builder("spacecrab_iam_budget_waiting_callers", budget, IamCallBudget::waitingCallers)
        .description("Threads waiting for an IAM call permit").register(registry);
    FunctionCounter.builder("spacecrab_iam_calls_total", budget, IamCallBudget::granted)
        .description("IAM calls made (each attempt draws one permit)").register(registry);
    FunctionCounter.builder("spacecrab_iam_throttled_total", budget, IamCallBudget::throttled)
        .description("IAM calls answered Throttling").register(registry);
  }

  /** Reports the Kubernetes writes made and the time writers spent waiting for the write rate limit. */
  public void watch(KubeWriteLimiter limiter) {
    FunctionCounter.builder("spacecrab_kube_writes_total", limiter, KubeWriteLimiter::writes)
        .description("Kubernetes API writes (POST, PUT, PATCH, DELETE) made").register(registry);
    FunctionCounter.builder("spacecrab_kube_write_wait_seconds_total", limiter, KubeWriteLimiter::waitedSeconds)
        .description("Time writers spent waiting for the client-side write rate limit").register(registry);
  }

  /** Reports how many HTTP clients the operator keeps for alert sinks (one per sink configuration). */
  public void sinkHttpClients(java.util.function.IntSupplier open) {
    Gauge.builder("spacecrab_alert_sink_http_clients", open, s -> s.getAsInt())
        .description("HTTP clients kept for alert sinks: one per sink configuration, closed when it changes or goes")
        .strongReference(true).register(registry);
  }

  /** A HoneyToken's Ready condition after a reconcile. */
  public void token(String uid, boolean ready) {
    tokenReady.put(uid, ready);
  }

  /** A HoneyToken is gone. */
  public void tokenGone(String uid) {
    tokenReady.remove(uid);
  }

  /** A ClusterHoneyToken's rollout counts after a reconcile. */
  public void rollout(String clusterToken, int desired, int ready, int failed) {
    int[] counts = rollouts.computeIfAbsent(clusterToken, name -> {
      int[] fresh = new int[3];
      String[] states = {"desired", "ready", "failed"};
      for (int i = 0; i < states.length; i++) {
        int index = i;
        Gauge.builder("spacecrab_cluster_token_namespaces", fresh, c -> c[index])
            .description("Namespaces a ClusterHoneyToken selects (desired), holding a Ready token, or failing")
            .tags(Tags.of("clusterhoneytoken", name, "state", states[i])).register(registry);
      }
      return fresh;
    });
    counts[0] = desired;
    counts[1] = ready;
    counts[2] = failed;
  }

  /** A ClusterHoneyToken is gone: its gauges go too. */
  public void rolloutGone(String clusterToken) {
    if (rollouts.remove(clusterToken) != null) {
      for (String state : new String[] {"desired", "ready", "failed"}) {
        var gauge = registry.find("spacecrab_cluster_token_namespaces")
            .tags("clusterhoneytoken", clusterToken, "state", state).gauge();
        if (gauge != null) {
          registry.remove(gauge);
        }
      }
    }
  }

  /** One delivery attempt to a sink of this type ended so. */
  public void delivery(String sinkType, DeliveryOutcome outcome) {
    Counter.builder("spacecrab_alert_deliveries_total")
        .description("Alert delivery attempts by sink type and outcome (failed: given up)")
        .tags("type", sinkType, "outcome", outcome.name()).register(registry).increment();
  }

  /** What a last use IAM reported came to once its grace period was over. */
  public enum LastUseOutcome { covered, raised }

  /** A decision on a last use IAM reported: a CloudTrail-derived alert covered it, or UsedWithoutTrail was raised. */
  public void lastUseDecided(LastUseOutcome outcome) {
    Counter.builder("spacecrab_iam_last_use_decisions_total")
        .description("Key uses IAM reported, decided once their grace period was over: covered by a CloudTrail-derived"
            + " alert, or raised as UsedWithoutTrail")
        .tag("outcome", outcome.name()).register(registry).increment();
  }

  /** Where an alert's key was exposed was read: {@code result} is Known or the reason it is Unknown (a closed set). */
  public void exposureRead(String result) {
    Counter.builder("spacecrab_alert_exposure_reads_total")
        .description("Reads of where an alert's key was exposed (once per alert): Known, or why it is Unknown"
            + " (TokenNotFound, SecretUnknown, Forbidden, Timeout, ReadFailed)")
        .tag("result", result).register(registry).increment();
  }

  /** A notification reached a sink of this type at {@code when}. */
  public void delivered(String sinkType, java.time.Instant when) {
    lastDelivered.computeIfAbsent(sinkType, type -> {
      java.util.concurrent.atomic.AtomicLong seconds = new java.util.concurrent.atomic.AtomicLong();
      Gauge.builder("spacecrab_alert_last_delivery_timestamp_seconds", seconds, java.util.concurrent.atomic.AtomicLong::get)
          .description("When a notification last reached a sink of this type (Unix seconds)")
          .tag("type", type).register(registry);
      return seconds;
    }).accumulateAndGet(when.getEpochSecond(), Math::max);
  }

  /** The current value of a counter, for tests and the demo (0 when it was never incremented). */
  public double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    if (c != null) {
      return c.count();
    }
    FunctionCounter f = registry.find(name).tags(tags).functionCounter();
    return f == null ? 0 : f.count();
  }

  /** The current value of a gauge, for tests (NaN when absent). */
  public double gauge(String name, String... tags) {
    Gauge g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
  }

  /** A self-test call (sts:GetCallerIdentity with the self-test key): {@code ok} or {@code failed}. */
  public void selfTestCall(String outcome) {
    Counter.builder("spacecrab_self_test_calls_total").description("Self-test calls the operator made, by outcome")
        .tag("outcome", outcome).register(registry).increment();
  }

  /** A PipelineDown notice was raised ({@code down}) or resolved ({@code recovered}) for an intake path. */
  public void pipelineNotice(String path, String change) {
    Counter.builder("spacecrab_pipeline_notices_total")
        .description("PipelineDown notices raised and resolved by the self-test, per intake path")
        .tags("path", path, "change", change).register(registry).increment();
  }

  /** Whether the self-test counts an intake path as delivering (1) or down (0). */
  public void pipelineUp(String path, boolean up) {
    pipelineUp.computeIfAbsent(path, p -> {
      java.util.concurrent.atomic.AtomicLong v = new java.util.concurrent.atomic.AtomicLong(1);
      registry.gauge("spacecrab_pipeline_up", Tags.of("path", p), v);
      return v;
    }).set(up ? 1 : 0);
  }
}
