package io.spacecrab.demo;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.config.OperatorConfig;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.detect.Detector;
import io.spacecrab.DetectorRuntime;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.LogPipeline;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import java.io.FileInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code make demo}: the real operator against an in-process Kubernetes API (fabric8 mock server,
 * CRDs applied) and the moto AWS emulator, both on loopback ports. Applies the example
 * HoneyToken, shows what it made, uses the key like an attacker would, feeds the detector the
 * CloudTrail file of those calls and shows the alert, deletes the token, shows the cleanup. Everything it started is stopped before it exits.
 */
public final class DemoMain {
  private static final String NS = "payments";

  private DemoMain() {}

  public static void main(String[] args) throws Exception {
    int exit = 0;
    say("Starting the AWS emulator (moto, IAM policies enforced) and an in-process Kubernetes API");
    try (MotoServer moto = MotoServer.start(); KubeApi kube = KubeApi.start()) {
      moto.reset();
      KubernetesClient k8s = kube.client();
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      kube.createNamespace(NS);
      OperatorConfig config = OperatorUnderTest.config(moto, "--recheck-interval=PT1M");
      DynamoDbTokenRegistry registry = OperatorUnderTest.createRegistry(moto, config);
      detail("AWS endpoint", moto.endpoint().toString());
      detail("Kubernetes API", kube.url());

      say("Starting the operator (the same OperatorRuntime the jar runs)");
      try (OperatorUnderTest operator = OperatorUnderTest.start(kube, moto, config);
          IamClient adminIam = moto.iam(moto.adminCredentials())) {
        say("kubectl apply -f examples/honeytoken.yaml");
        HoneyToken token;
        try (var in = new FileInputStream(examples().resolve("honeytoken.yaml").toFile())) {
          token = k8s.resource(k8s.resources(HoneyToken.class).load(in).item()).create();
        }
        HoneyToken ready = waitFor("the HoneyToken to be Ready", () -> {
          HoneyToken t = k8s.resource(token).get();
          return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
              .map(c -> "True".equals(c.getStatus())).orElse(false) ? t : null;
        });
        var ready0 = Conditions.find(ready.getStatus().getConditions(), Conditions.READY).orElseThrow();
        System.out.printf("%n  NAMESPACE  NAME                READY  REASON  SECRET                  USER%n");
        System.out.printf("  %-10s %-19s %-6s %-7s %-23s %s%n", NS, ready.getMetadata().getName(), ready0.getStatus(),
            ready0.getReason(), ready.getStatus().getSecretName(), ready.getStatus().getUserName());
        detail("message", ready0.getMessage());

        String userName = ready.getStatus().getUserName();
        say("The IAM user (a plausible service name, path /, ownership in tags only)");
        var user = adminIam.getUser(r -> r.userName(userName)).user();
        detail("ARN", user.arn());
        detail("path", user.path());
        user.tags().forEach(t -> detail("tag " + t.key(), t.value()));
        detail("inline policy " + adminIam.listUserPolicies(r -> r.userName(userName)).policyNames(),
            URLDecoder.decode(adminIam.getUserPolicy(r -> r.userName(userName).policyName("default")).policyDocument(),
                StandardCharsets.UTF_8));
        adminIam.listAccessKeys(r -> r.userName(userName)).accessKeyMetadata()
            .forEach(k -> detail("access key", k.accessKeyId() + " " + k.status()));

        say("The Secret in namespace " + NS + " (what an attacker would find)");
        Secret secret = k8s.secrets().inNamespace(NS).withName(ready.getStatus().getSecretName()).get();
        Map<String, String> data = decode(secret);
        detail("labels", String.valueOf(secret.getMetadata().getLabels()));
        data.forEach((k, v) -> detail(k, k.contains("SECRET") ? mask(v) : k.equals("credentials")
            ? v.replace(data.get("AWS_SECRET_ACCESS_KEY"), mask(data.get("AWS_SECRET_ACCESS_KEY"))).replace("\n", " | ")
            : v));

        say("The registry record the detector matches CloudTrail against (DynamoDB)");
        RegistryRecord record = registry.get(ready.getStatus().getAccessKeyId()).orElseThrow();
        detail("accessKeyId", record.accessKeyId());
        detail("principalId", record.principalId());
        detail("token", record.namespace() + "/" + record.name() + " (uid " + record.uid() + ")");
        detail("owner", record.owner());
        detail("location", record.location());
        detail("state", record.state().name());
        detail("sealedSecret", mask(record.sealedSecret()) + " (AES-GCM under the operator's seal key)");

        say("Using the key the way an attacker would");
        var stolen = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(data.get("AWS_ACCESS_KEY_ID"), data.get("AWS_SECRET_ACCESS_KEY")));
        Region region = Region.of(MotoServer.REGION);
        try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(region)
            .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
          detail("sts:GetCallerIdentity", "allowed (cannot be denied by policy) -> " + sts.getCallerIdentity().arn());
        }
        try (IamClient iam = moto.iam(stolen);
            S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(region).forcePathStyle(true)
                .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            SqsClient sqs = SqsClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
            DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(moto.endpoint()).region(region)
                .credentialsProvider(stolen).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
          boolean allDenied = denied("iam:ListUsers", iam::listUsers) & denied("s3:ListBuckets", s3::listBuckets)
              & denied("sqs:ListQueues", sqs::listQueues) & denied("dynamodb:ListTables", dynamo::listTables);
          if (!allDenied) {
            exit = 1;
          }
        }

        say("Detection: moto writes no CloudTrail, so the demo puts the log file CloudTrail would deliver");
        var userArn = user.arn();
        CloudTrailFiles.Caller caller = CloudTrailFiles.Caller.of(data.get("AWS_ACCESS_KEY_ID"), user.userId(), userArn);
        String now = Instant.now().toString();
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
          records.add(CloudTrailFiles.noise(i, now));
        }
        String[][] calls = {{"sts.amazonaws.com", "GetCallerIdentity"}, {"iam.amazonaws.com", "ListUsers"},
            {"s3.amazonaws.com", "ListBuckets"}, {"sqs.amazonaws.com", "ListQueues"},
            {"dynamodb.amazonaws.com", "ListTables"}};
        for (int i = 0; i < calls.length; i++) {
          records.add(250, CloudTrailFiles.record(caller, UUID.randomUUID().toString(), now, calls[i][0], calls[i][1],
              "203.0.113.66"));
        }
        try (LogPipeline pipeline = LogPipeline.create(moto, 3, 30);
            Detector detector = DetectorRuntime.start(
                OperatorUnderTest.config(moto, "--queue-url=" + pipeline.queueUrl, "--queue-wait-seconds=1"),
                k8s, OperatorUnderTest.aws(moto, config, List.of()).queue(pipeline.queueUrl),
                OperatorUnderTest.aws(moto, config, List.of()).logObjects(), registry,
                new DetectorMetrics(new SimpleMeterRegistry()), java.time.Clock.systemUTC())) {
          String key = CloudTrailFiles.logKey(caller.accountId(), "demo");
          pipeline.put(LogPipeline.BUCKET, key, CloudTrailFiles.gzip(records));
          detail("log file", "s3://" + LogPipeline.BUCKET + "/" + key + " (" + records.size() + " records, "
              + calls.length + " by the stolen key)");
          HoneyTokenAlert alert = waitFor("the detector's alert", () -> {
            var all = k8s.resources(HoneyTokenAlert.class).inNamespace(OperatorUnderTest.NAMESPACE).list().getItems();
            return all.size() == 1 && all.get(0).getSpec().getEventCount() == calls.length ? all.get(0) : null;
          });
          var spec = alert.getSpec();
          detail("HoneyTokenAlert", OperatorUnderTest.NAMESPACE + "/" + alert.getMetadata().getName());
          detail("token", spec.getToken().getNamespace() + "/" + spec.getToken().getName() + " (owner "
              + spec.getOwner() + ")");
          detail("events", spec.getEventCount() + ": " + spec.getEventNames());
          detail("source IPs", String.valueOf(spec.getSourceIPs()));
          detail("user agents", String.valueOf(spec.getUserAgents()));
          HoneyToken triggered = waitFor("the token to show Triggered", () -> {
            HoneyToken t = k8s.resource(ready).get();
            return t.getStatus().getLastTriggeredAt() != null ? t : null;
          });
          detail("HoneyToken lastTriggeredAt", triggered.getStatus().getLastTriggeredAt());
        }

        say("kubectl delete honeytoken " + ready.getMetadata().getName() + " -n " + NS);
        k8s.resource(ready).delete();
        waitFor("the finalizer to clean up", () -> k8s.resource(ready).get() == null ? Boolean.TRUE : null);
        detail("IAM user " + userName, adminIam.listUsers().users().stream().anyMatch(u -> u.userName().equals(userName))
            ? "STILL THERE" : "deleted, with its key and policy");
        detail("Secret", k8s.secrets().inNamespace(NS).withName(ready.getStatus().getSecretName()).get() == null
            ? "deleted" : "STILL THERE");
        RegistryRecord tombstone = registry.get(record.accessKeyId()).orElseThrow();
        detail("registry record", tombstone.state() + " tombstone, expires " + tombstone.expireAt()
            + " (a late CloudTrail record still alerts)");
      }
      say(exit == 0 ? "Demo finished: everything behaved as described." : "Demo finished with a surprise: see above.");
    } catch (Exception e) {
      System.err.println("demo failed: " + e);
      exit = 1;
    }
    System.exit(exit);
  }

  private static boolean denied(String action, Runnable call) {
    try {
      call.run();
      detail(action, "ALLOWED (unexpected)");
      return false;
    } catch (SdkServiceException e) {
      detail(action, "denied (HTTP " + e.statusCode() + ")");
      return e.statusCode() == 403;
    }
  }

  private static <T> T waitFor(String what, Supplier<T> probe) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    Instant start = Instant.now();
    while (Instant.now().isBefore(deadline)) {
      T value = probe.get();
      if (value != null) {
        detail("waited for " + what, Duration.between(start, Instant.now()).toMillis() + " ms");
        return value;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("timed out waiting for " + what);
  }

  private static Path examples() {
    Path p = Path.of("examples");
    return p.toFile().isDirectory() ? p : Path.of("../examples");
  }

  private static Map<String, String> decode(Secret secret) {
    Map<String, String> out = new TreeMap<>();
    secret.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    return out;
  }

  private static String mask(String secret) {
    return secret == null ? "-" : secret.substring(0, 4) + "…(" + secret.length() + " chars, not shown)";
  }

  private static void say(String text) {
    System.out.println("\n== " + text);
  }

  private static void detail(String key, String value) {
    System.out.printf("   %-26s %s%n", key, value);
  }
}
