package io.spacecrab.testing;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.detect.Detector;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.DetectorRuntime;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * One test's world on the mock API server, set up before each test and torn down after it (register
 * with {@code @RegisterExtension}): moto reset, a fresh mock API server with the operator's
 * namespace and the test's own, the registry table, an administrator's IAM client, optionally the
 * detector's log pipeline and a running operator. Operators and detectors a test starts through it
 * are stopped after the test, the newest first.
 */
public final class SpaceCrabEnvironment implements BeforeEachCallback, AfterEachCallback, AutoCloseable {
  private final Builder spec;
  private final MotoServer moto = MotoServer.shared();
  private KubeApi kube;
  private LogPipeline pipeline;
  private final List<String> flags = new ArrayList<>();
  private OperatorConfig config;
  private DynamoDbTokenRegistry registry;
  private IamClient adminIam;
  private OperatorUnderTest operator;
  private final List<Detector> detectors = new ArrayList<>();

  private SpaceCrabEnvironment(Builder spec) {
    this.spec = spec;
  }

  /** A world on fabric8's mock API server (CRUD mode). */
  public static Builder onMockServer() {
    return new Builder();
  }

  /** What a test class asks of its world. */
  public static final class Builder {
    private final Map<String, Map<String, String>> namespaces = new LinkedHashMap<>();
    private final List<String> flags = new ArrayList<>();
    private boolean logPipeline;
    private boolean operator;
    private List<Interceptor> kubeInterceptors = List.of();

    private Builder() {
      namespaces.put(OperatorUnderTest.NAMESPACE, Map.of());
    }

    /** Namespaces created besides the operator's own. */
    public Builder namespaces(String... names) {
      for (String name : names) {
        namespaces.put(name, Map.of());
      }
      return this;
    }

    /** A namespace with these labels. */
    public Builder namespace(String name, Map<String, String> labels) {
      namespaces.put(name, labels);
      return this;
    }

    /** Operator flags on top of {@link OperatorUnderTest#config}'s. */
    public Builder flags(String... extra) {
      flags.addAll(List.of(extra));
      return this;
    }

    /**
     * The detector's AWS side ({@link LogPipeline}: a kept message goes to the DLQ after 2 receives,
     * 2 s visibility), with {@code --queue-url} set to its queue and {@code --queue-wait-seconds=1}.
     */
    public Builder logPipeline() {
      logPipeline = true;
      return this;
    }

    /** Starts the operator before each test, its Kubernetes client carrying these interceptors. */
    public Builder operator(Interceptor... kubeInterceptors) {
      operator = true;
      this.kubeInterceptors = List.of(kubeInterceptors);
      return this;
    }

    public SpaceCrabEnvironment build() {
      return new SpaceCrabEnvironment(this);
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    open();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /**
   * Sets the world up, as before each test; for a test that needs several worlds one after the
   * other (e.g. one per crash point), with {@code try (var world = ...build().open())}.
   */
  public SpaceCrabEnvironment open() {
    moto.reset();
    kube = KubeApi.start();
    spec.namespaces.forEach((name, labels) -> kube.client().namespaces().resource(new NamespaceBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata().build()).create());
    flags.clear();
    if (spec.logPipeline) {
      pipeline = LogPipeline.create(moto, 2, 2);
      flags.addAll(List.of("--queue-url=" + pipeline.queueUrl, "--queue-wait-seconds=1"));
    }
    flags.addAll(spec.flags);
    config = OperatorUnderTest.config(moto, flags.toArray(String[]::new));
    registry = OperatorUnderTest.createRegistry(moto, config);
    adminIam = moto.iam(moto.adminCredentials());
    if (spec.operator) {
      startOperator(config, List.of(), spec.kubeInterceptors, null, Clock.systemUTC());
    }
    return this;
  }

  /** Stops what the test started through it, newest first, and the mock API server. */
  @Override
  public void close() {
    for (int i = detectors.size() - 1; i >= 0; i--) {
      detectors.get(i).close();
    }
    detectors.clear();
    stopOperator();
    adminIam.close();
    if (pipeline != null) {
      pipeline.close();
      pipeline = null;
    }
    kube.close();
  }

  public MotoServer moto() {
    return moto;
  }

  public KubeApi kube() {
    return kube;
  }

  /** The test's own client, with full rights. */
  public KubernetesClient client() {
    return kube.client();
  }

  /** The configuration the world was set up with (the builder's flags). */
  public OperatorConfig config() {
    return config;
  }

  /** The builder's configuration with these flags on top (a later flag wins). */
  public OperatorConfig config(String... extra) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(List.of(extra));
    return OperatorUnderTest.config(moto, all.toArray(String[]::new));
  }

  public DynamoDbTokenRegistry registry() {
    return registry;
  }

  /** IAM with the administrator's key, for assertions and out-of-band changes. */
  public IamClient adminIam() {
    return adminIam;
  }

  /** The log pipeline, if the builder asked for one. */
  public LogPipeline pipeline() {
    return pipeline;
  }

  /** The running operator, or null. */
  public OperatorUnderTest operator() {
    return operator;
  }

  /** Stops the running operator, if any, and starts one with this configuration. */
  public OperatorUnderTest startOperator(OperatorConfig with) {
    return startOperator(with, List.of(), List.of(), null, Clock.systemUTC());
  }

  /** As {@link OperatorUnderTest#start(ApiServer, MotoServer, OperatorConfig, List, List, IamUsers, Clock)}, stopping the running one first. */
  public OperatorUnderTest startOperator(OperatorConfig with, List<ExecutionInterceptor> awsInterceptors,
      List<Interceptor> kubeInterceptors, IamUsers iam, Clock clock) {
    stopOperator();
    operator = OperatorUnderTest.start(kube, moto, with, awsInterceptors, kubeInterceptors, iam, clock);
    return operator;
  }

  /** Stops the running operator, if any. */
  public void stopOperator() {
    if (operator != null) {
      operator.close();
      operator = null;
    }
  }

  /** A detector on the log pipeline's queue with this configuration, stopped after the test. */
  public Detector startDetector(OperatorConfig with, DetectorMetrics metrics, Clock clock) {
    AwsClients aws = OperatorUnderTest.aws(moto, with, List.of());
    return stopAfterTest(DetectorRuntime.start(with, kube.client(), aws.queue(with.queueUrl()), aws.logObjects(),
        aws.registry(with.registryTable()), metrics, clock));
  }

  /** A detector the test started itself, stopped after the test. */
  public Detector stopAfterTest(Detector d) {
    detectors.add(d);
    return d;
  }

  /** Stops the detectors started so far. */
  public void stopDetectors() {
    detectors.forEach(Detector::close);
    detectors.clear();
  }

  /** Creates the token and waits (up to 30 s) until it has a key; returns it as it is then. */
  public HoneyToken createIssued(HoneyToken token) {
    HoneyToken created = client().resource(token).create();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      HoneyToken c = client().resource(created).get();
      return c.getStatus() != null && c.getStatus().getAccessKeyId() != null;
    });
    return client().resource(created).get();
  }

  /** Who CloudTrail says used an issued token's key (its IAM user's id and ARN). */
  public Caller callerOf(HoneyToken issued) {
    var user = adminIam.getUser(r -> r.userName(issued.getStatus().getUserName())).user();
    return Caller.of(issued.getStatus().getAccessKeyId(), user.userId(), user.arn());
  }
}
