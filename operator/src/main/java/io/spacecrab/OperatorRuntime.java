package io.spacecrab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.InformerStoppedHandler;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.backoff.Backoff;
import io.spacecrab.backoff.BackoffRetry;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.CallerIdentity;
import io.spacecrab.kube.PipelineHealthStore;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.aws.MailSender;
import io.spacecrab.notify.AlertDeliveryReconciler;
import io.spacecrab.notify.AlertSinkReconciler;
import io.spacecrab.notify.OutboundLimits;
import io.spacecrab.notify.SinkDispatcher;
import io.spacecrab.notify.SinkValidation;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.metrics.OperatorMetrics;
import io.spacecrab.token.ClusterHoneyTokenReconciler;
import io.spacecrab.token.HoneyTokenReconciler;
import io.spacecrab.token.SealKeyStore;
import io.spacecrab.token.SecretSeal;
import io.spacecrab.token.TokenIssuer;
import io.spacecrab.token.UserNames;
import io.spacecrab.token.SelfTestReconciler;
import io.spacecrab.token.UserQuota;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator deployment's composition root: the JOSDK {@link Operator} with the HoneyToken,
 * ClusterHoneyToken, AlertSink and alert delivery reconcilers and the self-test, configured the same
 * way in production, tests and the
 * demo. JOSDK patches the primary resources (finalizers, status) with server-side apply unless
 * {@code --server-side-apply=false}, which only the mock-server tests set (it answers 415).
 */
public final class OperatorRuntime implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OperatorRuntime.class);
  /** Retries of a reconcile that threw (retryable AWS or API errors). */
  static final Backoff RECONCILE_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5));
  private final Operator operator;
  private final SinkDispatcher dispatcher;

  private OperatorRuntime(Operator operator, SinkDispatcher dispatcher) {
    this.operator = operator;
    this.dispatcher = dispatcher;
  }

  /**
   * Registers the reconcilers and starts the informers; returns once they are synced.
   * {@code onInformerStopped}, when not null, replaces JOSDK's default, which exits the process
   * when an informer stops for good (right for a pod, wrong inside a test JVM).
   */
  public static OperatorRuntime start(OperatorConfig config, KubernetesClient client, IamUsers iam,
      TokenRegistry registry, MailSender mail, CallerIdentity sts, Clock clock, OperatorMetrics metrics,
      InformerStoppedHandler onInformerStopped) {
    SecretSeal seal = SealKeyStore.loadOrCreate(client, config.namespace(), config.sealKeySecret(), registry,
        config.allowNewSealKey());
    EventRecorder events = new EventRecorder(client, SpaceCrab.COMPONENT,
        new java.util.HashSet<>(java.util.List.of(config.namespace(), config.alertNamespace(), config.securityNamespace())),
        EventRecorder.pod(config.namespace()));
    UserQuota quota = new UserQuota(iam, config.maxIamUsers(), clock);
    try {
      quota.count();
    } catch (AwsCallException e) {
      log.warn("could not count the account's IAM users at start-up ({}); counting before the first CreateUser",
          e.getMessage());
    }
    UserNames names = UserNames.of(config, UserNames.loadOrLearn(client, config, quota.names()));
    TokenIssuer issuer = new TokenIssuer(iam, registry, seal, config, events, clock, quota, names);
    HoneyTokenReconciler reconciler = new HoneyTokenReconciler(issuer, client, events, config, clock, metrics);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withUseSSAToPatchPrimaryResource(config.serverSideApply())
          .withSSABasedCreateUpdateMatchForDependentResources(config.serverSideApply())
          .withConcurrentReconciliationThreads(config.reconcileConcurrency())
          .withCloseClientOnStop(false)
          .withReconciliationTerminationTimeout(Duration.ofSeconds(5));
      if (onInformerStopped != null) {
        o.withInformerStoppedHandler(onInformerStopped);
      }
      if (config.leaderElection()) {
        // a replica that loses the lease exits (JOSDK's default), so two never act at once for long
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(config.leaderElectionLease(),
            config.namespace(), LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE,
            LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
            LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, identity(), null, true));
      }
    });
    operator.register(reconciler, o -> {
      o.withRetry(new BackoffRetry(RECONCILE_BACKOFF));
      if (!config.watchesAllNamespaces()) {
        o.settingNamespaces(config.watchNamespaces());
      }
    });
    operator.register(new ClusterHoneyTokenReconciler(client, events, clock, metrics, config),
        o -> o.withRetry(new BackoffRetry(RECONCILE_BACKOFF)));
    // alert delivery: AlertSinks and the HoneyTokenAlert outbox, in the alert namespace only
    OutboundLimits limits = new OutboundLimits(config.deliveryConnectTimeout(), config.deliveryReadTimeout(),
        config.deliveryDeadline(), OutboundLimits.DEFAULTS.maxResponseBytes());
    SinkDispatcher dispatcher = new SinkDispatcher(mail, limits, clock);
    SinkValidation validation = new SinkValidation(dispatcher);
    metrics.sinkHttpClients(dispatcher::openHttpClients);
    operator.register(new AlertSinkReconciler(client, validation, events, clock),
        o -> o.settingNamespace(config.alertNamespace()));
    operator.register(new AlertDeliveryReconciler(client, dispatcher, validation,
            events, new Backoff(config.deliveryBackoff(), config.deliveryBackoffCap()), clock,
            metrics),
        o -> o.settingNamespace(config.alertNamespace())
            .withRetry(new BackoffRetry(RECONCILE_BACKOFF)));
    if (config.selfTestEnabled()) {
      // the end-to-end self-test: its PipelineHealth object is made here so that the reconciler has a primary
      PipelineHealthStore health = new PipelineHealthStore(client, config.namespace());
      try {
        health.ensure();
        operator.register(new SelfTestReconciler(issuer, sts, client, health, config, metrics, clock),
            o -> o.settingNamespace(config.namespace()).withRetry(new BackoffRetry(RECONCILE_BACKOFF)));
      } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
        // an older CRD set or RBAC without pipelinehealths: everything else works, the self-test says why it does not
        log.error("the self-test is off: the PipelineHealth object {}/{} cannot be created (HTTP {}); install the"
            + " chart's CRDs and RBAC", config.namespace(), SpaceCrab.SELF_TEST_NAME, e.getCode());
      }
    }
    operator.start();
    return new OperatorRuntime(operator, dispatcher);
  }

  /** True while every informer is connected and watching (the pod's liveness). */
  public boolean healthy() {
    return operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /**
   * True once started with every informer synced and watching (readiness and startup). A replica
   * waiting for the leader-election lease is ready too: it must not hold up a rolling update.
   */
  public boolean ready() {
    return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  /** The leader-election identity: the pod name where Kubernetes gives one, else the host name. */
  private static String identity() {
    String pod = System.getenv("POD_NAME");
    if (pod != null && !pod.isBlank()) {
      return pod;
    }
    String host = System.getenv("HOSTNAME");
    return host != null && !host.isBlank() ? host : java.util.UUID.randomUUID().toString();
  }

  @Override
  public void close() {
    operator.stop();
    dispatcher.close();
  }
}
