package io.spacecrab.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.aws.AwsClients;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.testing.AwsStack;
import io.spacecrab.testing.CfnTemplate;
import io.spacecrab.testing.CloudTrailFiles;
import io.spacecrab.testing.CloudTrailFiles.Caller;
import io.spacecrab.testing.JarProcess;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.PythonTools;
import io.spacecrab.testing.Tokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The packaged jar's operator and detector modes, each as its own process whose only AWS
 * credentials are those of a moto IAM user holding exactly the policies the template gives its
 * role (as moto can enforce them: {@link AwsStack#asMotoEnforces}), run the whole token life
 * against the AWS side built from the template: issue, drift repair, detection from a log file and
 * from the EventBridge fast path, deletion. moto enforces the actions (and, for SQS and S3, the
 * resource ARNs); the conditions are shown by cloudformation/tests/policy_scope.py.
 *
 * <p>The operator runs without --permissions-boundary-arn: moto has no user permissions
 * boundaries (CreateUser drops it, GetUser never reports it, PutUserPermissionsBoundary answers
 * 500), so a boundary would make every drift check fail. The boundary is part of the offline proof.
 */
class StackPoliciesIT {
  static final String NS = "spacecrab-system";
  static final String APPS = "apps";

  @Test
  void operatorAndDetectorLiveOnTheStacksPoliciesAlone() throws Exception {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    AwsStack stack = AwsStack.deploy(moto, Map.of("ClusterId", "it-cluster",
        "OidcIssuer", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        "QueueVisibilityTimeout", "30"));
    Map<String, String> outputs = stack.outputs();
    StaticCredentialsProvider operatorKey = podUser(moto, "spacecrab-operator-pod", stack.rolePolicies("OperatorRole"));
    StaticCredentialsProvider detectorKey = podUser(moto, "spacecrab-detector-pod", stack.rolePolicies("DetectorRole"));
    String bucket = outputs.get("TrailBucketName");
    String account;
    try (StsClient sts = client(StsClient.builder(), moto, moto.adminCredentials())) {
      account = sts.getCallerIdentity().account();
    }
    String logKey = "AWSLogs/" + account + "/CloudTrail/us-east-1/2026/12/02/" + account
        + "_CloudTrail_us-east-1_20261202T0800Z_it.json.gz";

    // the pods' users are held to their policies: moto refuses what the template does not grant
    refusedToThePods(moto, operatorKey, detectorKey, outputs, bucket);

    Path logs = Files.createTempDirectory("stack-policies-it");
    try (KubeApi kube = KubeApi.start();
        IamClient adminIam = moto.iam(moto.adminCredentials());
        JarProcess operator = jar("operator", kube, env(moto, outputs, operatorKey,
            Map.of("SPACECRAB_RECHECK_INTERVAL", "PT2S", "SPACECRAB_IAM_PATH", outputs.get("TokenUserPath"))),
            logs.resolve("operator.log"));
        JarProcess detector = jar("detector", kube, env(moto, outputs, detectorKey,
            Map.of("SPACECRAB_QUEUE_URL", outputs.get("QueueUrl"), "SPACECRAB_QUEUE_WAIT_SECONDS", "1",
                "SPACECRAB_REGISTRY_REFRESH", "PT1S", "SPACECRAB_LOG_BUCKET", bucket, "SPACECRAB_SWEEP_INTERVAL", "PT2S",
                "SPACECRAB_DEAD_LETTER_QUEUE_URL", outputs.get("DeadLetterQueueUrl"))),
            logs.resolve("detector.log"))) {
      kube.createNamespace(NS);
      kube.createNamespace(APPS);
      operator.awaitLog("operator started", Duration.ofSeconds(60));
      detector.awaitLog("detector started", Duration.ofSeconds(60));
      TokenRegistry registry = new AwsClients(MotoServer.REGION, moto.endpoint(), moto.adminCredentials(), List.of())
          .registry(outputs.get("RegistryTableName"));

      // issue
      HoneyToken token = kube.client().resource(Tokens.token(APPS, "deploy", "deploy-creds")).create();
      HoneyToken issued = awaitReason(kube, token, "Issued", operator);
      String userName = issued.getStatus().getUserName();
      String firstKey = issued.getStatus().getAccessKeyId();
      var user = adminIam.getUser(r -> r.userName(userName)).user();
      assertThat(adminIam.listAccessKeys(r -> r.userName(userName)).accessKeyMetadata())
          .extracting(k -> k.accessKeyId()).containsExactly(firstKey);
      assertThat(adminIam.getUserPolicy(r -> r.userName(userName).policyName("default")).policyDocument())
          .contains("Deny");
      assertThat(registry.get(firstKey)).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RegistryState.Active));
      Map<String, String> secret = secretData(kube, "deploy-creds");
      assertThat(secret.get("AWS_ACCESS_KEY_ID")).isEqualTo(firstKey);

      // the issued key: only GetCallerIdentity, which no policy can deny
      StaticCredentialsProvider tokenKey = StaticCredentialsProvider.create(AwsBasicCredentials.create(
          secret.get("AWS_ACCESS_KEY_ID"), secret.get("AWS_SECRET_ACCESS_KEY")));
      try (StsClient sts = client(StsClient.builder(), moto, tokenKey);
          S3Client s3 = client(S3Client.builder().forcePathStyle(true), moto, tokenKey)) {
        assertThat(sts.getCallerIdentity().arn()).isEqualTo(user.arn());
        refused(s3::listBuckets);
      }

      // drift repair: a key deleted behind the operator's back is replaced and tombstoned
      adminIam.deleteAccessKey(r -> r.userName(userName).accessKeyId(firstKey));
      String secondKey = await().atMost(Duration.ofSeconds(60)).until(() -> {
        operator.checkAlive();
        HoneyToken t = kube.client().resource(token).get();
        return t.getStatus().getAccessKeyId();
      }, k -> k != null && !k.equals(firstKey));
      await().atMost(Duration.ofSeconds(30)).until(() -> secondKey.equals(secretData(kube, "deploy-creds")
          .get("AWS_ACCESS_KEY_ID")));
      assertThat(registry.get(firstKey)).hasValueSatisfying(r -> assertThat(r.state()).isNotEqualTo(RegistryState.Active));

      // detection from a log file in the trail's bucket (S3 -> trail topic -> queue -> detector)
      Caller caller = Caller.of(secondKey, user.userId(), user.arn());
      try (S3Client s3 = client(S3Client.builder().forcePathStyle(true), moto, moto.adminCredentials())) {
        s3.putObject(r -> r.bucket(bucket).key(logKey), RequestBody.fromBytes(CloudTrailFiles.gzip(List.of(
            CloudTrailFiles.record(caller, "evt-log-file", "2026-12-02T08:00:05Z", "s3.amazonaws.com", "ListBuckets",
                "198.51.100.7")))));
      }
      HoneyTokenAlert alert = awaitAlert(kube, 1, detector);
      assertThat(alert.getSpec().getToken().getName()).isEqualTo("deploy");
      // matched by key or, while the detector's registry copy predates the new key, by the user
      assertThat(alert.getSpec().getUserName()).isEqualTo(userName);

      // detection through the fast path (EventBridge rule -> queue -> detector), same incident
      ObjectNode record = CloudTrailFiles.record(caller, "evt-fast-path", "2026-12-02T08:00:09Z", "sts.amazonaws.com",
          "GetCallerIdentity", "198.51.100.7");
      try (EventBridgeClient events = client(EventBridgeClient.builder(), moto, moto.adminCredentials())) {
        events.putEvents(r -> r.entries(e -> e.source("aws.sts").detailType("AWS API Call via CloudTrail")
            .detail(CloudTrailFiles.json(record))));
      }
      HoneyTokenAlert aggregated = awaitAlert(kube, 2, detector);
      assertThat(aggregated.getSpec().getEventNames()).contains("s3:ListBuckets", "sts:GetCallerIdentity");

      // drift repair: a managed policy someone attached to the user is detached at the next re-check
      String policyArn = adminIam.createPolicy(r -> r.policyName("ops-read").policyDocument(
          "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\","
              + "\"Resource\":\"*\"}]}")).policy().arn();
      adminIam.attachUserPolicy(r -> r.userName(userName).policyArn(policyArn));
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        operator.checkAlive();
        return adminIam.listAttachedUserPolicies(r -> r.userName(userName)).attachedPolicies().isEmpty();
      });
      assertThat(adminIam.listUserPolicies(r -> r.userName(userName)).policyNames()).containsExactly("default");

      // delete a user someone gave a console password, an SSH key, a virtual MFA device and a group:
      // the stack (without AllowRemoveFromGroups=true) does not let the operator take it out of the
      // group, so the deletion waits, says why, and finishes once someone else did
      adminIam.createLoginProfile(r -> r.userName(userName).password("Correct-Horse-Battery-9"));
      adminIam.uploadSSHPublicKey(r -> r.userName(userName).sshPublicKeyBody(
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIL/jiT6MgEBVW0dvbRhlu3TdLdqRzJT3ANl8JSvBqcQT"));
      String mfa = adminIam.createVirtualMFADevice(r -> r.virtualMFADeviceName(userName)).virtualMFADevice()
          .serialNumber();
      adminIam.enableMFADevice(r -> r.userName(userName).serialNumber(mfa).authenticationCode1("123456")
          .authenticationCode2("654321"));
      adminIam.createGroup(r -> r.groupName("ops"));
      adminIam.addUserToGroup(r -> r.groupName("ops").userName(userName));
      kube.client().resource(token).delete();
      HoneyToken blocked = awaitReason(kube, token, "CleanupBlocked", operator);
      assertThat(Conditions.find(blocked.getStatus().getConditions(), Conditions.READY).orElseThrow().getMessage())
          .contains("group ops").contains("RemoveUserFromGroup").contains("AllowRemoveFromGroups=true");
      assertThat(adminIam.listUserPolicies(r -> r.userName(userName)).policyNames()).containsExactly("default");
      adminIam.removeUserFromGroup(r -> r.groupName("ops").userName(userName));

      // user, keys, policies and all the rest gone, records tombstoned, finalizer released
      await().atMost(Duration.ofSeconds(60)).until(() -> {
        operator.checkAlive();
        return kube.client().resource(token).get() == null;
      });
      assertThatThrownBy(() -> adminIam.getUser(r -> r.userName(userName))).isInstanceOf(NoSuchEntityException.class);
      assertThat(adminIam.listVirtualMFADevices().virtualMFADevices()).isEmpty();
      assertThat(registry.get(secondKey)).hasValueSatisfying(r -> assertThat(r.state()).isEqualTo(RegistryState.Retired));

      operator.checkAlive();
      detector.checkAlive();
      // the one refusal: RemoveUserFromGroup, which the stack grants only with AllowRemoveFromGroups=true
      assertThat(operator.log().lines().filter(l -> l.contains("AccessDenied") || l.contains("HTTP 403")))
          .isNotEmpty().allMatch(l -> l.contains("RemoveUserFromGroup"));
      assertThat(detector.log()).doesNotContain("AccessDenied");
      // the log sweep ran on these policies too (listing the bucket), and failed nowhere
      await().atMost(Duration.ofSeconds(30)).until(() -> detector.log().contains("log sweep starts at"));
      assertThat(detector.log()).doesNotContain("log sweep failed");
    }
    try (var files = Files.list(logs)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(logs);
  }

  /** Calls the template does not grant, refused to the pods' users by moto. */
  static void refusedToThePods(MotoServer moto, StaticCredentialsProvider operatorKey,
      StaticCredentialsProvider detectorKey, Map<String, String> outputs, String bucket) {
    try (IamClient iam = moto.iam(operatorKey); S3Client s3 = client(S3Client.builder().forcePathStyle(true), moto,
        operatorKey); SqsClient sqs = client(SqsClient.builder(), moto, operatorKey)) {
      refused(() -> iam.attachUserPolicy(r -> r.userName("admin")
          .policyArn("arn:aws:iam::aws:policy/AdministratorAccess")));
      refused(() -> iam.addUserToGroup(r -> r.userName("admin").groupName("admins")));
      refused(s3::listBuckets);
      refused(() -> sqs.receiveMessage(r -> r.queueUrl(outputs.get("QueueUrl"))));
    }
    try (IamClient iam = moto.iam(detectorKey); S3Client s3 = client(S3Client.builder().forcePathStyle(true), moto,
        detectorKey); DynamoDbClient dynamo = client(DynamoDbClient.builder(), moto, detectorKey)) {
      refused(iam::listUsers);
      refused(() -> dynamo.deleteTable(r -> r.tableName(outputs.get("RegistryTableName"))));
      try (S3Client admin = client(S3Client.builder().forcePathStyle(true), moto, moto.adminCredentials())) {
        admin.putObject(r -> r.bucket(bucket).key("exports/customers.csv"), RequestBody.fromString("a,b"));
      }
      // moto checks S3 object ARNs: outside AWSLogs/ the detector reads nothing
      refused(() -> s3.getObjectAsBytes(r -> r.bucket(bucket).key("exports/customers.csv")));
      // the log sweep lists the trail's folders and reads the dead-letter queue's depth
      AwsClients detectorAws = new AwsClients(MotoServer.REGION, moto.endpoint(), detectorKey, List.of());
      assertThat(detectorAws.logObjects().folders(bucket, "AWSLogs/", 10)).isNotNull();
      assertThat(detectorAws.queue(outputs.get("DeadLetterQueueUrl")).depth().visible()).isZero();
      // (moto does not evaluate the s3:prefix condition that keeps listings inside AWSLogs/)
    }
  }

  /** The call fails with AccessDenied (whatever the protocol calls it). */
  static void refused(ThrowingCallable call) {
    assertThatThrownBy(call).isInstanceOf(AwsServiceException.class).satisfies(e -> {
      // moto answers 403 (its IAM error body is not one the SDK parses) or, for JSON protocols, 400 AccessDenied*
      AwsServiceException error = (AwsServiceException) e;
      assertThat(error.statusCode() == 403 || String.valueOf(error.awsErrorDetails().errorCode())
          .startsWith("AccessDenied")).as(error.toString()).isTrue();
    });
  }

  /** A moto IAM user standing in for a pod's role: the role's policies, as moto enforces them, and a key. */
  static StaticCredentialsProvider podUser(MotoServer moto, String name, Map<String, Map<String, Object>> policies) {
    try (IamClient iam = moto.iam(moto.adminCredentials())) {
      iam.createUser(r -> r.userName(name));
      policies.forEach((policy, document) -> {
        String arn = iam.createPolicy(r -> r.policyName(name + "-" + policy)
            .policyDocument(CfnTemplate.json(AwsStack.asMotoEnforces(document)))).policy().arn();
        iam.attachUserPolicy(r -> r.userName(name).policyArn(arn));
      });
      var key = iam.createAccessKey(r -> r.userName(name)).accessKey();
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }
  }

  /** The jar's settings from the stack's outputs, as the chart passes them (SPACECRAB_*). */
  static Map<String, String> env(MotoServer moto, Map<String, String> outputs, StaticCredentialsProvider key,
      Map<String, String> extra) {
    Map<String, String> env = new HashMap<>();
    env.put("SPACECRAB_CLUSTER_ID", outputs.get("ClusterId"));
    env.put("SPACECRAB_AWS_REGION", outputs.get("Region"));
    env.put("SPACECRAB_REGISTRY_TABLE", outputs.get("RegistryTableName"));
    env.put("SPACECRAB_AWS_ENDPOINT", moto.endpoint().toString());
    env.put("SPACECRAB_NAMESPACE", NS);
    env.put("SPACECRAB_SERVER_SIDE_APPLY", "false");
    env.put("SPACECRAB_METRICS_PORT", "0");
    env.put("SPACECRAB_OWNERSHIP_TAG_KEY", outputs.get("OwnershipTagKey"));
    env.put("AWS_ACCESS_KEY_ID", key.resolveCredentials().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", key.resolveCredentials().secretAccessKey());
    env.put("LOG_LEVEL", "INFO");
    env.putAll(extra);
    return env;
  }

  /** {@code java -jar spacecrab.jar <mode>} with these settings, talking to the mock API server. */
  static JarProcess jar(String mode, KubeApi kube, Map<String, String> env, Path log) {
    Map<String, String> all = new HashMap<>(env);
    all.put("KUBECONFIG", kube.kubeconfigFor(mode).toString());
    all.put("JAVA_TOOL_OPTIONS", "-Xmx256m");
    return JarProcess.start(List.of(mode), all, log);
  }

  static HoneyToken awaitReason(KubeApi kube, HoneyToken token, String reason, JarProcess operator) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      operator.checkAlive();
      return kube.client().resource(token).get();
    }, t -> t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
        .map(c -> reason.equals(c.getReason())).orElse(false));
  }

  static HoneyTokenAlert awaitAlert(KubeApi kube, long events, JarProcess detector) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      detector.checkAlive();
      // a PipelineDown notice may join the token's alert: the operator's self-test runs, nothing feeds EventBridge here
      List<HoneyTokenAlert> alerts = kube.client().resources(HoneyTokenAlert.class).inNamespace(NS).list().getItems()
          .stream().filter(a -> !io.spacecrab.api.SpaceCrab.PIPELINE_DOWN.equals(a.getSpec().getReason())).toList();
      return alerts.size() == 1 ? alerts.get(0) : null;
    }, a -> a != null && a.getSpec().getEventCount() != null && a.getSpec().getEventCount() >= events);
  }

  static Map<String, String> secretData(KubeApi kube, String name) {
    Secret secret = kube.client().secrets().inNamespace(APPS).withName(name).get();
    Map<String, String> plain = new HashMap<>();
    if (secret != null && secret.getData() != null) {
      secret.getData().forEach((k, v) -> plain.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (secret != null && secret.getStringData() != null) {
      plain.putAll(secret.getStringData());
    }
    return plain;
  }

  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder, MotoServer moto,
      StaticCredentialsProvider credentials) {
    return builder.endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION)).credentialsProvider(credentials)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }
}
