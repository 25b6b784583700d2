package io.spacecrab.detect;

import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.DetectorRuntime;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code make bench}: end-to-end latency from SQS SendMessage to the HoneyTokenAlert object
 * existing, against moto and the in-process Kubernetes API, for the EventBridge path (the record
 * is in the message) and the S3 path (the message names a log file the detector fetches).
 * Each trial uses its own token, so each trial creates a new alert object.
 */
public final class LatencyBench {
  private LatencyBench() {}

  public static void main(String[] args) throws Exception {
    int trials = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    try (MotoServer moto = MotoServer.start(); KubeApi kube = KubeApi.start()) {
      moto.reset();
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      try (LogPipeline pipeline = LogPipeline.create(moto, 5, 30)) {
        OperatorConfig config = OperatorUnderTest.config(moto, "--queue-url=" + pipeline.queueUrl,
            "--queue-wait-seconds=20", "--detector-concurrency=2");
        DynamoDbTokenRegistry registry = OperatorUnderTest.createRegistry(moto, config);
        List<Caller> callers = new ArrayList<>();
        for (int i = 0; i < 2 * trials; i++) {
          Caller c = Caller.of(String.format("AKIAEXAMPLE%09d", i), String.format("AIDAEXAMPLE%09d", i),
              "arn:aws:iam::123456789012:user/svc-" + i);
          callers.add(c);
          registry.put(new RegistryRecord(c.accessKeyId(), c.principalId(), c.userName(), c.arn(), "bench", "ns",
              "token-" + i, "uid-" + i, "team", null, null, Instant.now(), RegistryState.Active, null, null));
        }
        Map<String, CountDownLatch> waiting = new ConcurrentHashMap<>();
        var watch = kube.client().resources(HoneyTokenAlert.class).inNamespace(OperatorUnderTest.NAMESPACE)
            .watch(new Watcher<>() {
              @Override
              public void eventReceived(Action action, HoneyTokenAlert alert) {
                CountDownLatch latch = waiting.get(alert.getSpec().getToken().getUid());
                if (latch != null) {
                  latch.countDown();
                }
              }

              @Override
              public void onClose(WatcherException cause) {}
            });
        AwsClients aws = OperatorUnderTest.aws(moto, config, List.of());
        try (Detector detector = DetectorRuntime.start(config, kube.client(), aws.queue(config.queueUrl()),
            aws.logObjects(), aws.registry(config.registryTable()), new DetectorMetrics(new SimpleMeterRegistry()),
            Clock.systemUTC())) {
          for (int i = 0; i < trials; i++) {
            Caller c = callers.get(trials + i);
            pipeline.put(LogPipeline.QUIET_BUCKET, key(i), CloudTrailFiles.gzip(List.of(
                CloudTrailFiles.record(c, "s3-" + i, "2026-11-30T21:00:00Z", "s3.amazonaws.com", "ListBuckets",
                    "192.0.2.1"))));
          }
          long[] eventBridge = run(trials, waiting, i -> pipeline.send(LogPipeline.eventBridge(CloudTrailFiles.json(
              CloudTrailFiles.record(callers.get(i), "eb-" + i, "2026-11-30T21:00:00Z", "s3.amazonaws.com",
                  "ListBuckets", "192.0.2.1")))), 0);
          long[] s3 = run(trials, waiting, i -> pipeline.send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET,
              key(i - trials))), trials);
          System.out.printf("%nEnd-to-end latency, SQS SendMessage -> HoneyTokenAlert exists (%d trials each, "
              + "moto + in-process API server, %d cores)%n", trials, Runtime.getRuntime().availableProcessors());
          System.out.printf("  %-38s p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms%n", "EventBridge event in the message",
              pct(eventBridge, 50), pct(eventBridge, 99), pct(eventBridge, 100));
          System.out.printf("  %-38s p50 %6.1f ms   p99 %6.1f ms   max %6.1f ms%n", "S3 notification, 1 log file fetched",
              pct(s3, 50), pct(s3, 99), pct(s3, 100));
          System.out.printf("  target p99 <= 2000 ms: %s%n", pct(eventBridge, 99) <= 2000 && pct(s3, 99) <= 2000
              ? "met" : "NOT met");
        }
        watch.close();
      }
    }
    System.exit(0);
  }

  interface Trial {
    void send(int i);
  }

  static long[] run(int trials, Map<String, CountDownLatch> waiting, Trial trial, int offset) throws Exception {
    long[] nanos = new long[trials];
    for (int i = 0; i < trials; i++) {
      CountDownLatch latch = new CountDownLatch(1);
      waiting.put("uid-" + (offset + i), latch);
      long start = System.nanoTime();
      trial.send(offset + i);
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("no alert for trial " + i);
      }
      nanos[i] = System.nanoTime() - start;
    }
    return nanos;
  }

  static String key(int i) {
    return "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/30/bench-" + i + ".json.gz";
  }

  static double pct(long[] nanos, int p) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int index = Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1);
    return sorted[Math.max(0, index)] / 1e6;
  }
}
