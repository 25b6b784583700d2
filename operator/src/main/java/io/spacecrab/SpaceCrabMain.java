package io.spacecrab;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spacecrab.aws.IamCallBudget;
import io.spacecrab.kube.KubeClients;
import io.spacecrab.kube.KubeWriteLimiter;
import io.spacecrab.metrics.OperatorMetrics;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.config.ConfigException;
import io.spacecrab.config.OperatorConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spacecrab.detect.Detector;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.metrics.MetricsServer;
import java.time.Clock;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the one jar: {@code operator} or {@code detector} mode, then flags. */
public final class SpaceCrabMain {
  private static final Logger log = LoggerFactory.getLogger(SpaceCrabMain.class);

  private SpaceCrabMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      System.out.println(usage());
      System.exit(args.length == 0 ? 2 : 0);
    }
    String mode = args[0];
    String[] flags = Arrays.copyOfRange(args, 1, args.length);
    OperatorConfig config;
    try {
      config = OperatorConfig.load(flags, System.getenv());
    } catch (ConfigException e) {
      System.err.println("spacecrab " + mode + ": " + e.getMessage());
      System.err.println("Run with --help for the list of settings.");
      System.exit(2);
      return;
    }
    switch (mode) {
      case "operator" -> runOperator(config);
      case "detector" -> {
        try {
          config.requireQueue();
        } catch (ConfigException e) {
          System.err.println("spacecrab detector: " + e.getMessage());
          System.exit(2);
        }
        runDetector(config);
      }
      default -> {
        System.err.println("spacecrab: unknown mode '" + mode + "'\n" + usage());
        System.exit(2);
      }
    }
  }

  private static void runOperator(OperatorConfig config) throws InterruptedException {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    OperatorMetrics metrics = new OperatorMetrics(meters);
    KubeWriteLimiter writeLimit = KubeClients.writeLimiter(config);
    metrics.watch(writeLimit);
    KubernetesClient client = KubeClients.build(config, writeLimit);
    AwsClients aws = AwsClients.from(config);
    IamCallBudget budget = IamCallBudget.of(config);
    metrics.watch(budget);
    CountDownLatch stopped = new CountDownLatch(1);
    // probes answer from the start: not ready (503) until the informers are synced
    AtomicReference<OperatorRuntime> started = new AtomicReference<>();
    MetricsServer server = startMetrics(config, meters,
        () -> started.get() == null || started.get().healthy(),
        () -> started.get() != null && started.get().ready());
    OperatorRuntime operator = OperatorRuntime.start(config, client, aws.iamUsers(budget),
        aws.registry(config.registryTable()), aws.mail(config), aws.callerIdentity(), Clock.systemUTC(), metrics, null);
    started.set(operator);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      operator.close();
      if (server != null) {
        server.close();
      }
      client.close();
      stopped.countDown();
    }));
    log.info("operator started: cluster {}, region {}, registry table {}", config.clusterId(), config.awsRegion(),
        config.registryTable());
    stopped.await();
  }

  private static void runDetector(OperatorConfig config) throws InterruptedException {
    KubernetesClient client = new KubernetesClientBuilder().build();
    AwsClients aws = AwsClients.from(config);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    DetectorMetrics metrics = new DetectorMetrics(meters);
    AtomicReference<Detector> started = new AtomicReference<>();
    MetricsServer server = startMetrics(config, meters,
        () -> started.get() == null || started.get().healthy(),
        () -> started.get() != null && started.get().ready());
    CountDownLatch stopped = new CountDownLatch(1);
    Detector detector = DetectorRuntime.start(config, client, aws.queue(config.queueUrl()), aws.logObjects(),
        aws.registry(config.registryTable()), metrics, Clock.systemUTC(), ownAccount(aws), aws::queue);
    started.set(detector);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      log.info("stopping");
      detector.close();
      if (server != null) {
        server.close();
      }
      client.close();
      stopped.countDown();
    }));
    log.info("detector started: cluster {}, alert namespace {}", config.clusterId(), config.alertNamespace());
    stopped.await();
  }

  /** The detector's own account: its keys are token keys even before the registry holds one. */
  private static java.util.Set<String> ownAccount(AwsClients aws) {
    try {
      return java.util.Set.of(aws.accountId());
    } catch (RuntimeException e) {
      log.warn("could not read the detector's own AWS account ({}); new tokens are found at the next registry"
          + " read instead", e.getMessage());
      return java.util.Set.of();
    }
  }

  private static MetricsServer startMetrics(OperatorConfig config, PrometheusMeterRegistry meters,
      BooleanSupplier healthy, BooleanSupplier ready) {
    if (config.metricsPort() == 0) {
      return null;
    }
    try {
      return MetricsServer.start(config.metricsPort(), meters, healthy, ready);
    } catch (java.io.IOException e) {
      log.warn("metrics endpoint not started on port {}: {}", config.metricsPort(), e.getMessage());
      return null;
    }
  }

  static String usage() {
    return "usage: java -jar spacecrab.jar (operator|detector) [--setting=value ...]\n\nSettings:\n"
        + OperatorConfig.help();
  }
}
