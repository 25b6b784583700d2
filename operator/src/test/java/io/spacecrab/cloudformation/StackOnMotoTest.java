package io.spacecrab.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spacecrab.aws.DynamoDbTokenRegistry;
import io.spacecrab.testing.AwsStack;
import io.spacecrab.testing.CfnTemplate;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.PythonTools;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import io.spacecrab.testing.OwnJvm;

/** The whole template deployed on moto by {@link AwsStack}: what exists afterwards and how it behaves. */
@OwnJvm
class StackOnMotoTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static MotoServer moto;
  static AwsStack stack;
  static Map<String, String> outputs;
  static SqsClient sqs;

  @BeforeAll
  static void deploy() {
    moto = MotoServer.shared();
    moto.reset();
    stack = AwsStack.deploy(moto, Map.of("ClusterId", "prod-eu",
        "OidcIssuer", "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"));
    outputs = stack.outputs();
    sqs = client(SqsClient.builder());
  }

  @AfterAll
  static void close() {
    sqs.close();
  }

  @Test
  void outputsAreTheChartValuesAndPointAtWhatWasCreated() {
    assertThat(outputs).containsKeys("ClusterId", "Region", "RegistryTableName", "PermissionsBoundaryArn", "QueueUrl",
        "OperatorRoleArn", "DetectorRoleArn", "DeadLetterQueueUrl", "TrailBucketName", "OwnershipTagKey",
        "TokenUserPath", "TrailTopicArn");
    assertThat(outputs).containsEntry("ClusterId", "prod-eu").containsEntry("Region", MotoServer.REGION)
        .containsEntry("OwnershipTagKey", "team").containsEntry("TokenUserPath", "/");
    try (IamClient iam = client(IamClient.builder())) {
      String boundary = iam.getPolicy(r -> r.policyArn(outputs.get("PermissionsBoundaryArn"))).policy().arn();
      assertThat(boundary).isEqualTo(outputs.get("PermissionsBoundaryArn"));
      assertThat(iam.getRole(r -> r.roleName(stack.ref("OperatorRole"))).role().arn())
          .isEqualTo(outputs.get("OperatorRoleArn"));
      assertThat(iam.listRolePolicies(r -> r.roleName(stack.ref("OperatorRole"))).policyNames())
          .contains("token-users", "registry");
      assertThat(iam.listRolePolicies(r -> r.roleName(stack.ref("DetectorRole"))).policyNames())
          .contains("detector", "log-key");
    }
  }

  @Test
  void registryTableHasTheKeysTheAdapterUsesWithTtlAndPointInTimeRecovery() {
    try (DynamoDbClient dynamo = client(DynamoDbClient.builder())) {
      String table = outputs.get("RegistryTableName");
      var description = dynamo.describeTable(r -> r.tableName(table)).table();
      assertThat(description.keySchema()).singleElement().satisfies(k -> {
        assertThat(k.attributeName()).isEqualTo("accessKeyId");
        assertThat(k.keyType()).isEqualTo(KeyType.HASH);
      });
      assertThat(description.globalSecondaryIndexes()).singleElement().satisfies(i -> {
        assertThat(i.indexName()).isEqualTo(DynamoDbTokenRegistry.PRINCIPAL_INDEX);
        assertThat(i.keySchema()).singleElement().satisfies(k -> assertThat(k.attributeName()).isEqualTo("principalId"));
      });
      assertThat(description.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
      assertThat(dynamo.describeTimeToLive(r -> r.tableName(table)).timeToLiveDescription().attributeName())
          .isEqualTo(DynamoDbTokenRegistry.TTL_ATTRIBUTE);
      assertThat(dynamo.describeContinuousBackups(r -> r.tableName(table)).continuousBackupsDescription()
          .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString()).isEqualTo("ENABLED");
    }
  }

  @Test
  void queueHasItsDeadLetterQueueEncryptionAndAPolicyForTheTopicAndTheRule() throws Exception {
    var attrs = sqs.getQueueAttributes(r -> r.queueUrl(outputs.get("QueueUrl"))
        .attributeNames(QueueAttributeName.ALL)).attributes();
    assertThat(attrs.get(QueueAttributeName.VISIBILITY_TIMEOUT)).isEqualTo("900");
    assertThat(attrs.get(QueueAttributeName.SQS_MANAGED_SSE_ENABLED)).isEqualTo("true");
    JsonNode redrive = JSON.readTree(attrs.get(QueueAttributeName.REDRIVE_POLICY));
    assertThat(redrive.path("deadLetterTargetArn").asText()).isEqualTo(stack.attribute("DeadLetterQueue", "Arn"));
    assertThat(redrive.path("maxReceiveCount").asInt()).isEqualTo(5);
    JsonNode policy = JSON.readTree(attrs.get(QueueAttributeName.POLICY));
    Set<String> sources = new HashSet<>();
    policy.path("Statement").forEach(s -> sources.add(s.path("Condition").path("ArnEquals").path("aws:SourceArn")
        .asText()));
    assertThat(sources).contains(outputs.get("TrailTopicArn"), stack.attribute("FastPathRule", "Arn"));
  }

  @Test
  void trailIsMultiRegionWithValidationIntoTheLockedBucket() throws Exception {
    try (CloudTrailClient trails = client(CloudTrailClient.builder()); S3Client s3 = client(S3Client.builder()
        .forcePathStyle(true))) {
      var trail = trails.getTrail(r -> r.name(stack.ref("Trail"))).trail();
      assertThat(trail.isMultiRegionTrail()).isTrue();
      assertThat(trail.includeGlobalServiceEvents()).isTrue();
      assertThat(trail.logFileValidationEnabled()).isTrue();
      assertThat(trail.s3BucketName()).isEqualTo(outputs.get("TrailBucketName"));
      assertThat(trail.snsTopicARN()).isEqualTo(outputs.get("TrailTopicArn"));
      String bucket = outputs.get("TrailBucketName");
      var block = s3.getPublicAccessBlock(r -> r.bucket(bucket)).publicAccessBlockConfiguration();
      assertThat(List.of(block.blockPublicAcls(), block.blockPublicPolicy(), block.ignorePublicAcls(),
          block.restrictPublicBuckets())).containsOnly(true);
      JsonNode policy = JSON.readTree(s3.getBucketPolicy(r -> r.bucket(bucket)).policy());
      assertThat(policy.path("Statement").findValuesAsText("aws:SourceArn")).containsOnly(trail.trailARN());
      assertThat(s3.getBucketEncryption(r -> r.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0)
          .applyServerSideEncryptionByDefault().kmsMasterKeyID()).isEqualTo(stack.attribute("LogKey", "Arn"));
    }
  }

  @Test
  void logFileInTheBucketReachesTheQueueThroughTheTopic() throws Exception {
    drain();
    try (S3Client s3 = client(S3Client.builder().forcePathStyle(true))) {
      String key = "AWSLogs/123456789012/CloudTrail/us-east-1/2026/12/02/123456789012_CloudTrail_us-east-1_x.json.gz";
      s3.putObject(r -> r.bucket(outputs.get("TrailBucketName")).key(key), RequestBody.fromString("{}"));
      List<Message> messages = drain();
      assertThat(messages).singleElement().satisfies(m -> {
        JsonNode envelope = readTree(m.body());
        assertThat(envelope.path("Type").asText()).isEqualTo("Notification");
        assertThat(envelope.path("TopicArn").asText()).isEqualTo(outputs.get("TrailTopicArn"));
        // S3 URL-encodes keys in notifications
        assertThat(java.net.URLDecoder.decode(readTree(envelope.path("Message").asText()).path("Records").get(0)
            .path("s3").path("object").path("key").asText(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(key);
      });
    }
  }

  @Test
  void fastPathRuleForwardsCallsOfIamUsersUnderTheTokenPathOnly() throws Exception {
    drain();
    try (EventBridgeClient events = client(EventBridgeClient.builder())) {
      // moto delivers while PutEvents runs, so what is not in the queue afterwards was not delivered
      for (String[] identity : List.of(
          new String[] {"AssumedRole", "arn:aws:sts::123456789012:assumed-role/ops/alice"},
          new String[] {"IAMUser", "arn:aws:iam::999999999999:user/deploy-3f9a1c2e"},
          new String[] {"Root", "arn:aws:iam::123456789012:root"},
          new String[] {"IAMUser", "arn:aws:iam::123456789012:user/deploy-3f9a1c2e"})) {
        String detail = JSON.writeValueAsString(Map.of("eventName", "GetCallerIdentity", "eventSource",
            "sts.amazonaws.com", "userIdentity", Map.of("type", identity[0], "arn", identity[1])));
        events.putEvents(r -> r.entries(e -> e.source("aws.sts").detailType("AWS API Call via CloudTrail")
            .detail(detail)));
      }
      List<Message> messages = drain();
      assertThat(messages).singleElement().satisfies(m -> assertThat(readTree(m.body()).path("detail")
          .path("userIdentity").path("arn").asText()).isEqualTo("arn:aws:iam::123456789012:user/deploy-3f9a1c2e"));
    }
  }

  @Test
  void registryAloneIsJustTheTable() {
    AwsStack registry = AwsStack.deploy(moto, Map.of("ClusterId", "prod-eu", "RegistryTableName", "only-registry"),
        List.of("Registry"));
    assertThat(registry.outputs()).containsEntry("RegistryTableName", "only-registry")
        .doesNotContainKeys("QueueUrl", "OperatorRoleArn");
  }

  @Test
  void motoTypesAreTheOnesMotosCloudFormationImplements() {
    PythonTools.Result r = PythonTools.run(Duration.ofSeconds(60), "python", "-c",
        "from moto.cloudformation.parsing import get_model_map; print('\\n'.join(sorted(get_model_map())))");
    assertThat(r.exitCode()).as(r.output()).isZero();
    Set<String> implemented = Set.of(r.stdout().strip().split("\n"));
    Set<String> used = new HashSet<>();
    CfnTemplate.load(CfnTemplate.file()).entrySet().stream().filter(e -> e.getKey().equals("Resources"))
        .forEach(e -> ((Map<?, ?>) e.getValue()).values().forEach(v -> used.add((String) ((Map<?, ?>) v).get("Type"))));
    Set<String> byMoto = new HashSet<>(used);
    byMoto.retainAll(implemented);
    Set<String> byAdapter = new HashSet<>(used);
    byAdapter.removeAll(implemented);
    assertThat(byMoto).isEqualTo(AwsStack.MOTO_TYPES);
    assertThat(byAdapter).isEqualTo(AwsStack.ADAPTER_TYPES);
  }

  @Test
  void motoViewDropsConditionalDeniesAndWidensArnsMotoDoesNotMatch() {
    Map<String, Object> document = Map.of("Version", "2012-10-17", "Statement", List.of(
        Map.of("Effect", "Allow", "Action", "iam:CreateUser", "Resource", "arn:aws:iam::1:user/*",
            "Condition", Map.of("StringEquals", Map.of("aws:RequestTag/team", "x"))),
        Map.of("Effect", "Deny", "Action", "iam:CreateUser", "Resource", "*",
            "Condition", Map.of("StringNotEquals", Map.of("aws:RequestTag/team", "x"))),
        Map.of("Effect", "Deny", "Action", "iam:AttachUserPolicy", "Resource", "*"),
        Map.of("Effect", "Allow", "Action", "s3:GetObject", "Resource", "arn:aws:s3:::b/AWSLogs/*")));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> statements = (List<Map<String, Object>>) AwsStack.asMotoEnforces(document)
        .get("Statement");
    assertThat(statements).extracting(s -> s.get("Effect") + " " + s.get("Action") + " " + s.get("Resource"))
        .containsExactly("Allow iam:CreateUser *", "Deny iam:AttachUserPolicy *", "Allow s3:GetObject arn:aws:s3:::b/AWSLogs/*");
  }

  static List<Message> drain() {
    List<Message> all = new java.util.ArrayList<>();
    while (true) {
      List<Message> batch = sqs.receiveMessage(r -> r.queueUrl(outputs.get("QueueUrl")).maxNumberOfMessages(10)
          .waitTimeSeconds(0)).messages();
      if (batch.isEmpty()) {
        return all;
      }
      for (Message m : batch) {
        sqs.deleteMessage(r -> r.queueUrl(outputs.get("QueueUrl")).receiptHandle(m.receiptHandle()));
      }
      all.addAll(batch);
    }
  }

  static JsonNode readTree(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(text, e);
    }
  }

  static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C client(B builder) {
    StaticCredentialsProvider admin = moto.adminCredentials();
    return builder.endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION)).credentialsProvider(admin)
        .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
  }
}
