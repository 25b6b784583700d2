package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import java.io.BufferedOutputStream;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import io.spacecrab.testing.OwnJvm;

/**
 * The jar's detector mode, as its own process with a 128 MiB heap, reads a CloudTrail file of more
 * than 50 MB (compressed; several hundred MB of JSON) and alerts on a use at its start and its end.
 */
@OwnJvm
class LargeFileTest {
  static final long COMPRESSED_TARGET = 50L * 1024 * 1024;

  @Test
  void fiftyMegabyteFileIsStreamedInA128MegabyteHeap() throws Exception {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    Path file = Files.createTempFile("cloudtrail", ".json.gz");
    try (KubeApi kube = KubeApi.start(); LogPipeline pipeline = LogPipeline.create(moto, 5, 60)) {
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      OperatorConfig config = OperatorUnderTest.config(moto, "--queue-url=" + pipeline.queueUrl);
      DynamoDbTokenRegistry registry = OperatorUnderTest.createRegistry(moto, config);
      Caller caller = Caller.of("AKIAIOSFODNN7EXAMPLE", "AIDAEXAMPLEPRINCIPAL1", "arn:aws:iam::123456789012:user/ci-build-1");
      registry.put(new RegistryRecord(caller.accessKeyId(), caller.principalId(), caller.userName(), caller.arn(),
          "c", "apps", "ci", "uid-ci", "team", "here", null, Instant.now(), RegistryState.Active, null, null));
      long records = writeLargeFile(file, caller);
      assertThat(Files.size(file)).isGreaterThanOrEqualTo(COMPRESSED_TARGET);
      pipeline.s3.putObject(r -> r.bucket(LogPipeline.QUIET_BUCKET).key("AWSLogs/123456789012/CloudTrail/big.json.gz"),
          RequestBody.fromFile(file));

      Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: "
          + kube.url() + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
          + "current-context: c\nusers:\n- name: u\n  user:\n    token: t\n");
      var creds = moto.adminCredentials().resolveCredentials();
      Path out = Files.createTempFile("detector", ".log");
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx128m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
          "io.spacecrab.SpaceCrabMain", "detector", "--metrics-port=0", "--queue-wait-seconds=1");
      pb.environment().keySet().removeIf(k -> k.startsWith("SPACECRAB_") || k.startsWith("AWS_"));
      pb.environment().putAll(java.util.Map.of("KUBECONFIG", kubeconfig.toString(),
          "SPACECRAB_CLUSTER_ID", "c", "SPACECRAB_AWS_REGION", MotoServer.REGION,
          "SPACECRAB_AWS_ENDPOINT", moto.endpoint().toString(), "SPACECRAB_REGISTRY_TABLE", OperatorUnderTest.TABLE,
          "SPACECRAB_NAMESPACE", OperatorUnderTest.NAMESPACE, "SPACECRAB_QUEUE_URL", pipeline.queueUrl,
          "AWS_ACCESS_KEY_ID", creds.accessKeyId(), "AWS_SECRET_ACCESS_KEY", creds.secretAccessKey()));
      pb.redirectErrorStream(true).redirectOutput(out.toFile());
      Process detector = pb.start();
      try {
        pipeline.send(LogPipeline.s3Event(LogPipeline.QUIET_BUCKET, "AWSLogs/123456789012/CloudTrail/big.json.gz"));
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
          assertThat(detector.isAlive()).as("detector alive; its log: " + out).isTrue();
          List<HoneyTokenAlert> alerts = kube.client().resources(HoneyTokenAlert.class)
              .inNamespace(OperatorUnderTest.NAMESPACE).list().getItems();
          return alerts.size() == 1 && alerts.get(0).getSpec().getEventCount() == 2;
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.depth(pipeline.queueUrl) == 0);
        assertThat(detector.isAlive()).isTrue();
        assertThat(Files.readString(out)).doesNotContain("OutOfMemoryError");
        System.out.printf("large file: %d MB compressed, %d records%n", Files.size(file) >> 20, records);
      } finally {
        detector.destroy();
        detector.waitFor(30, TimeUnit.SECONDS);
        Files.deleteIfExists(kubeconfig);
      }
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** Streams records to a gzip file until it is over the target size; a use first and last. */
  static long writeLargeFile(Path file, Caller caller) throws Exception {
    long count = 0;
    try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        CountingGzip gz = new CountingGzip(raw)) {
      gz.write("{\"Records\":[".getBytes(StandardCharsets.UTF_8));
      gz.write(CloudTrailFiles.json(CloudTrailFiles.record(caller, "first", "2026-11-30T20:00:00Z",
          "s3.amazonaws.com", "ListBuckets", "198.51.100.1")).getBytes(StandardCharsets.UTF_8));
      List<byte[]> noise = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        noise.add(CloudTrailFiles.json(CloudTrailFiles.noise(i, "2026-11-30T20:00:00Z")).getBytes(StandardCharsets.UTF_8));
      }
      java.util.Random random = new java.util.Random(7);
      byte[] id = new byte[24];
      while (Files.size(file) < COMPRESSED_TARGET) {
        for (int i = 0; i < 2000; i++) {
          gz.write(',');
          byte[] record = noise.get(random.nextInt(noise.size()));
          // a fresh random eventID per record keeps the file from compressing away
          random.nextBytes(id);
          String eventId = java.util.HexFormat.of().formatHex(id);
          String text = new String(record, StandardCharsets.UTF_8).replaceFirst("\"eventID\":\"[^\"]*\"",
              "\"eventID\":\"" + eventId + "\"");
          gz.write(text.getBytes(StandardCharsets.UTF_8));
          count++;
        }
        gz.flushDeflater();
      }
      gz.write(',');
      gz.write(CloudTrailFiles.json(CloudTrailFiles.record(caller, "last", "2026-11-30T20:30:00Z",
          "iam.amazonaws.com", "ListUsers", "198.51.100.2")).getBytes(StandardCharsets.UTF_8));
      gz.write("]}".getBytes(StandardCharsets.UTF_8));
    }
    return count + 2;
  }

  /** A gzip stream that can push its compressed bytes to the file so the file size can be watched. */
  static final class CountingGzip extends GZIPOutputStream {
    private final OutputStream target;

    CountingGzip(OutputStream out) throws java.io.IOException {
      super(out, 1 << 16, true);
      this.target = out;
    }

    void flushDeflater() throws java.io.IOException {
      flush();
      target.flush();
    }
  }

}
