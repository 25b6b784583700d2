package io.spacecrab;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.aws.LogObjects;
import io.spacecrab.aws.MessageQueue;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.detect.AlertWriter;
import io.spacecrab.detect.Detector;
import io.spacecrab.detect.ReadFiles;
import io.spacecrab.detect.RegistryCache;
import io.spacecrab.detect.SelfTestUses;
import io.spacecrab.detect.SweepLedger;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.LeaseLeadership;
import io.spacecrab.kube.PipelineHealthStore;
import io.spacecrab.metrics.DetectorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * The detector deployment's composition root: the {@link Detector} with its registry cache, alert
 * writer, self-test bookkeeping, Events and, when a log bucket is set, the Lease-led log sweep,
 * wired from configuration the same way in production, tests and the demo.
 */
public final class DetectorRuntime {
  /** Log files each replica remembers having finished with (about 100 bytes each). */
  static final int READ_FILES = 50_000;

  private DetectorRuntime() {}

  /** Starts pollers and the registry refresh; close the returned detector to stop. */
  public static Detector start(OperatorConfig config, KubernetesClient client, MessageQueue queue, LogObjects logs,
      TokenRegistry registry, DetectorMetrics metrics, Clock clock) {
    return start(config, client, queue, logs, registry, metrics, clock, Set.of());
  }

  /** As above; {@code tokenAccounts} are accounts whose unknown keys make the detector re-read the registry. */
  public static Detector start(OperatorConfig config, KubernetesClient client, MessageQueue queue, LogObjects logs,
      TokenRegistry registry, DetectorMetrics metrics, Clock clock, Set<String> tokenAccounts) {
    return start(config, client, queue, logs, registry, metrics, clock, tokenAccounts, url -> null);
  }

  /**
   * As above; {@code deadLetters} opens the dead-letter queue when {@code --dead-letter-queue-url} is
   * set (its depth is a metric).
   */
  public static Detector start(OperatorConfig config, KubernetesClient client, MessageQueue queue, LogObjects logs,
      TokenRegistry registry, DetectorMetrics metrics, Clock clock, Set<String> tokenAccounts,
      Function<String, MessageQueue> deadLetters) {
    EventRecorder events = new EventRecorder(client, "spacecrab-detector",
        new HashSet<>(List.of(config.namespace(), config.alertNamespace(), config.securityNamespace())),
        EventRecorder.pod(config.namespace()));
    RegistryCache cache = new RegistryCache(registry, Duration.ofSeconds(10), metrics, clock, tokenAccounts);
    AlertWriter writer = new AlertWriter(client, config.alertNamespace(), config.quietWindow(), events, clock);
    SelfTestUses selfTest = new SelfTestUses(config.clusterId(), new PipelineHealthStore(client, config.namespace()),
        metrics, clock);
    MessageQueue deadLetterQueue = config.deadLetterQueueUrl() == null ? null
        : deadLetters.apply(config.deadLetterQueueUrl());
    Detector detector = new Detector(queue, logs, cache, writer, selfTest, metrics, events, self(config.namespace()),
        new Detector.Settings(config.detectorConcurrency(), config.queueWaitSeconds(), config.registryRefresh()), clock,
        new ReadFiles(READ_FILES), deadLetterQueue);
    if (config.logBucket() != null) {
      detector.sweepWith(config.logBucket(), config.logPrefix(), config.sweepInterval(),
          new SweepLedger(client, config.namespace(), config.sweepLease()),
          LeaseLeadership.start(client, config.namespace(), config.sweepLease(), identity()));
    }
    detector.start();
    return detector;
  }

  /** This replica's name in the sweep Lease: its Pod, and a random part so that two in one process differ. */
  private static String identity() {
    String pod = System.getenv("HOSTNAME");
    return (pod == null || pod.isBlank() ? "detector" : pod) + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The detector's own Pod, which PipelineDegraded Events are about. */
  private static HasMetadata self(String namespace) {
    var pod = EventRecorder.pod(namespace);
    return new PodBuilder().withNewMetadata().withName(pod.getName()).withNamespace(namespace).endMetadata().build();
  }
}
