package io.spacecrab.token;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.aws.MailSender;
import io.spacecrab.notify.AlertDeliveryReconciler;
import io.spacecrab.notify.AlertSinkReconciler;
import io.spacecrab.notify.OutboundLimits;
import io.spacecrab.notify.SinkDispatcher;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator deployment: the JOSDK {@link Operator} with the HoneyToken, ClusterHoneyToken,
 * AlertSink and alert delivery reconcilers, configured the same way in production, tests and the
 * demo (no server-side apply: plain create/update and JSON patches work against every API server,
 * including the fabric8 mock server).
 */
public final class TokenOperator implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TokenOperator.class);
  private final Operator operator;

  private TokenOperator(Operator operator) {
    this.operator = operator;
  }

  /**
   * Registers the reconcilers and starts the informers; returns once they are synced.
   * {@code onInformerStopped}, when not null, replaces JOSDK's default, which exits the process
   * when an informer stops for good (right for a pod, wrong inside a test JVM).
   */
  public static TokenOperator start(OperatorConfig config, KubernetesClient client, IamUsers iam,
      TokenRegistry registry, MailSender mail, Clock clock, OperatorMetrics metrics,
      InformerStoppedHandler onInformerStopped) {
    SecretSeal seal = SealKeyStore.loadOrCreate(client, config.namespace(), config.sealKeySecret());
    EventRecorder events = new EventRecorder(client, SpaceCrab.COMPONENT);
    UserQuota quota = new UserQuota(iam, config.maxIamUsers(), clock);
    try {
      quota.count();
    } catch (AwsCallException e) {
      log.warn("could not count the account's IAM users at start-up ({}); counting before the first CreateUser",
          e.getMessage());
    }
    TokenIssuer issuer = new TokenIssuer(iam, registry, seal, config, events, clock, quota);
    HoneyTokenReconciler reconciler = new HoneyTokenReconciler(issuer, client, events, config, clock, metrics);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withConcurrentReconciliationThreads(config.reconcileConcurrency())
          .withCloseClientOnStop(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
      if (onInformerStopped != null) {
        o.withInformerStoppedHandler(onInformerStopped);
      }
    });
    operator.register(reconciler, o -> o.withRetry(new JitteredRetry(Duration.ofSeconds(1), Duration.ofMinutes(5))));
    operator.register(new ClusterHoneyTokenReconciler(client, events, clock, metrics),
        o -> o.withRetry(new JitteredRetry(Duration.ofSeconds(1), Duration.ofMinutes(5))));
    // alert delivery: AlertSinks and the HoneyTokenAlert outbox, in the alert namespace only
    operator.register(new AlertSinkReconciler(client, events, clock),
        o -> o.settingNamespace(config.alertNamespace()));
    OutboundLimits limits = new OutboundLimits(config.deliveryConnectTimeout(), config.deliveryReadTimeout(),
        config.deliveryDeadline(), OutboundLimits.DEFAULTS.maxResponseBytes());
    operator.register(new AlertDeliveryReconciler(client, new SinkDispatcher(mail, limits, clock),
            events, new AlertDeliveryReconciler.Backoff(config.deliveryBackoff(), config.deliveryBackoffCap()), clock,
            metrics),
        o -> o.settingNamespace(config.alertNamespace())
            .withRetry(new JitteredRetry(Duration.ofSeconds(1), Duration.ofMinutes(5))));
    operator.start();
    return new TokenOperator(operator);
  }

  /** True while every informer is connected and watching (the pod's liveness). */
  public boolean healthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  @Override
  public void close() {
    operator.stop();
  }
}
