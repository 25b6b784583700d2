package io.spacecrab.detect;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.aws.LogObjects;
import io.spacecrab.aws.MessageQueue;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.metrics.DetectorMetrics;
import java.time.Clock;
import java.time.Duration;

/** The detector deployment wired from configuration: the same in production, tests and the demo. */
public final class DetectorService {
  private DetectorService() {}

  /** Starts pollers and the registry refresh; close the returned detector to stop. */
  public static Detector start(OperatorConfig config, KubernetesClient client, MessageQueue queue, LogObjects logs,
      TokenRegistry registry, DetectorMetrics metrics, Clock clock) {
    return start(config, client, queue, logs, registry, metrics, clock, java.util.Set.of());
  }

  /** As above; {@code tokenAccounts} are accounts whose unknown keys make the detector re-read the registry. */
  public static Detector start(OperatorConfig config, KubernetesClient client, MessageQueue queue, LogObjects logs,
      TokenRegistry registry, DetectorMetrics metrics, Clock clock, java.util.Set<String> tokenAccounts) {
    EventRecorder events = new EventRecorder(client, "spacecrab-detector",
        new java.util.HashSet<>(java.util.List.of(config.namespace(), config.alertNamespace(), config.securityNamespace())), EventRecorder.pod(config.namespace()));
    RegistryCache cache = new RegistryCache(registry, Duration.ofSeconds(10), metrics, clock, tokenAccounts);
    AlertWriter writer = new AlertWriter(client, config.alertNamespace(), config.quietWindow(), events, clock);
    SelfTestUses selfTest = new SelfTestUses(config.clusterId(),
        new io.spacecrab.kube.PipelineHealthStore(client, config.namespace()), metrics, clock);
    Detector detector = new Detector(queue, logs, cache, writer, selfTest, metrics, events, self(config.namespace()),
        new Detector.Settings(config.detectorConcurrency(), config.queueWaitSeconds(), config.registryRefresh()), clock);
    detector.start();
    return detector;
  }

  /** The detector's own Pod, which PipelineDegraded Events are about. */
  private static HasMetadata self(String namespace) {
    var pod = EventRecorder.pod(namespace);
    return new PodBuilder().withNewMetadata().withName(pod.getName()).withNamespace(namespace).endMetadata().build();
  }
}
