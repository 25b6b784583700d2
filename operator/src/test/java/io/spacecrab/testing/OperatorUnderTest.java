package io.spacecrab.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spacecrab.aws.IamCallBudget;
import io.spacecrab.kube.KubeClients;
import io.spacecrab.kube.KubeWriteLimiter;
import io.spacecrab.metrics.OperatorMetrics;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.OperatorRuntime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * A real {@link OperatorRuntime} wired to moto and a Kubernetes API (the in-process mock or a real
 * API server), as production wires it.
 */
public final class OperatorUnderTest implements AutoCloseable {
  public static final String NAMESPACE = "spacecrab-system";
  public static final String TABLE = "registry";

  private final KubernetesClient client;
  private final OperatorRuntime operator;
  private final OperatorMetrics metrics;

  private OperatorUnderTest(KubernetesClient client, OperatorRuntime operator, OperatorMetrics metrics) {
    this.client = client;
    this.operator = operator;
    this.metrics = metrics;
  }

  /**
   * The test configuration; server-side apply is off because fabric8's mock API server answers 415
   * to it (tests on the real API server pass {@code --server-side-apply=true}; a later flag wins),
   * new IAM users are not spread out over time (tests of that pass {@code --creation-spacing}), and
   * the self-test is off, so that its IAM user is not counted among the tokens' (its tests pass
   * {@code --self-test-interval}), and the IAM call budget is moto's pace, not the production default
   * of 5 calls a second, which re-checks every 2 s (7 reads each) would keep busy and every issuance
   * and teardown would queue behind (tests of the budget pass {@code --iam-calls-per-second}).
   */
  public static OperatorConfig config(MotoServer moto, String... extra) {
    List<String> args = new ArrayList<>(List.of("--cluster-id=test-cluster", "--aws-region=" + MotoServer.REGION,
        "--aws-endpoint=" + moto.endpoint(), "--registry-table=" + TABLE, "--namespace=" + NAMESPACE,
        "--recheck-interval=PT2S", "--reconcile-concurrency=2", "--server-side-apply=false",
        "--creation-spacing=PT0S", "--self-test-interval=PT0S", "--iam-calls-per-second=100", "--iam-burst=100"));
    args.addAll(List.of(extra));
    return OperatorConfig.load(args.toArray(String[]::new), Map.of());
  }

  public static AwsClients aws(MotoServer moto, OperatorConfig config, List<ExecutionInterceptor> interceptors) {
    return new AwsClients(config.awsRegion(), config.awsEndpoint(), moto.adminCredentials(), interceptors);
  }

  /** Creates the registry table from cloudformation/spacecrab.yaml (its Registry resource alone). */
  public static DynamoDbTokenRegistry createRegistry(MotoServer moto, OperatorConfig config) {
    AwsStack.deploy(moto, Map.of("ClusterId", config.clusterId(), "RegistryTableName", config.registryTable()),
        List.of("Registry"));
    return aws(moto, config, List.of()).registry(config.registryTable());
  }

  public static OperatorUnderTest start(ApiServer kube, MotoServer moto, OperatorConfig config) {
    return start(kube, moto, config, List.of(), List.of(), null);
  }

  /**
   * Starts an operator whose AWS clients carry {@code awsInterceptors} and whose Kubernetes client
   * carries the configured write limit and then {@code kubeInterceptors}; {@code iam} replaces the
   * IAM adapter if set. Its metrics are kept in a Prometheus registry ({@link #metrics()}).
   */
  public static OperatorUnderTest start(ApiServer kube, MotoServer moto, OperatorConfig config,
      List<ExecutionInterceptor> awsInterceptors, List<Interceptor> kubeInterceptors, IamUsers iam) {
    return start(kube, moto, config, awsInterceptors, kubeInterceptors, iam, Clock.systemUTC());
  }

  /** As above, on this clock (e.g. a {@link MovingClock} that drives the self-test's schedule). */
  public static OperatorUnderTest start(ApiServer kube, MotoServer moto, OperatorConfig config,
      List<ExecutionInterceptor> awsInterceptors, List<Interceptor> kubeInterceptors, IamUsers iam, Clock clock) {
    OperatorMetrics metrics = new OperatorMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    KubeWriteLimiter writeLimit = KubeClients.writeLimiter(config);
    metrics.watch(writeLimit);
    KubernetesClient client = kube.newClient(b -> KubeClients.withInterceptors(b, config.fieldManager(), writeLimit, kubeInterceptors));
    AwsClients aws = aws(moto, config, awsInterceptors);
    IamCallBudget budget = IamCallBudget.of(config);
    metrics.watch(budget);
    try {
      OperatorRuntime operator = OperatorRuntime.start(config, client, iam != null ? iam : aws.iamUsers(budget),
          aws.registry(config.registryTable()), aws.mail(config), aws.callerIdentity(), clock, metrics,
          // JOSDK's default exits the JVM when an informer stops; a crash test stops them on purpose
          (informer, error) -> org.slf4j.LoggerFactory.getLogger(OperatorUnderTest.class)
              .info("informer stopped: {}", String.valueOf(error)));
      return new OperatorUnderTest(client, operator, metrics);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** The operator's metrics, as /metrics would serve them. */
  public OperatorMetrics metrics() {
    return metrics;
  }

  /** The Prometheus text /metrics would serve now. */
  public String scrape() {
    return ((PrometheusMeterRegistry) metrics.registry()).scrape();
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
