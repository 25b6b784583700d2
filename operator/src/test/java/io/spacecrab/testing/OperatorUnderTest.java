package io.spacecrab.testing;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.token.TokenOperator;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** A real {@link TokenOperator} wired to moto and the in-process Kubernetes API, as production wires it. */
public final class OperatorUnderTest implements AutoCloseable {
  public static final String NAMESPACE = "spacecrab-system";
  public static final String TABLE = "registry";

  private final KubernetesClient client;
  private final TokenOperator operator;

  private OperatorUnderTest(KubernetesClient client, TokenOperator operator) {
    this.client = client;
    this.operator = operator;
  }

  public static OperatorConfig config(MotoServer moto, String... extra) {
    List<String> args = new ArrayList<>(List.of("--cluster-id=test-cluster", "--aws-region=" + MotoServer.REGION,
        "--aws-endpoint=" + moto.endpoint(), "--registry-table=" + TABLE, "--namespace=" + NAMESPACE,
        "--recheck-interval=PT2S", "--reconcile-concurrency=2"));
    args.addAll(List.of(extra));
    return OperatorConfig.load(args.toArray(String[]::new), Map.of());
  }

  public static AwsClients aws(MotoServer moto, OperatorConfig config, List<ExecutionInterceptor> interceptors) {
    return new AwsClients(config.awsRegion(), config.awsEndpoint(), moto.adminCredentials(), interceptors);
  }

  /** Creates the registry table the CloudFormation stack would create. */
  public static DynamoDbTokenRegistry createRegistry(MotoServer moto, OperatorConfig config) {
    DynamoDbTokenRegistry registry = aws(moto, config, List.of()).registry(config.registryTable());
    registry.createTable();
    return registry;
  }

  public static OperatorUnderTest start(KubeApi kube, MotoServer moto, OperatorConfig config) {
    return start(kube, moto, config, List.of(), b -> { }, null);
  }

  /** Starts an operator whose clients carry these interceptors; {@code iam} replaces the IAM adapter if set. */
  public static OperatorUnderTest start(KubeApi kube, MotoServer moto, OperatorConfig config,
      List<ExecutionInterceptor> awsInterceptors, Consumer<KubernetesClientBuilder> kubeCustomiser, IamUsers iam) {
    KubernetesClient client = kube.newClient(kubeCustomiser);
    AwsClients aws = aws(moto, config, awsInterceptors);
    try {
      TokenOperator operator = TokenOperator.start(config, client, iam != null ? iam : aws.iamUsers(config),
          aws.registry(config.registryTable()), aws.mail(config), Clock.systemUTC(),
          // JOSDK's default exits the JVM when an informer stops; a crash test stops them on purpose
          (informer, error) -> org.slf4j.LoggerFactory.getLogger(OperatorUnderTest.class)
              .info("informer stopped: {}", String.valueOf(error)));
      return new OperatorUnderTest(client, operator);
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
