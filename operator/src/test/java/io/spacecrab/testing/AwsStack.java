package io.spacecrab.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Parameter;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.ReadWriteType;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.Event;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.ObjectOwnership;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The AWS side on moto, built from {@code cloudformation/spacecrab.yaml}: the resource types moto's
 * CloudFormation implements go through its CreateStack; the others ({@link #ADAPTER_TYPES}) and
 * the properties moto's CloudFormation ignores are made here through the services' APIs, from the
 * same template resolved with the stack's physical ids; the outputs are the template's Outputs.
 *
 * <p>moto's CloudTrail delivers neither log files nor notifications. Where the template creates
 * the trail, the log bucket is given an S3 ObjectCreated notification to the trail's topic, so
 * that a log file written into the bucket reaches the queue through the topic and the
 * subscription, as CloudTrail's own notification does (the detector reads both shapes).
 */
public final class AwsStack {
  private static Map<String, Object> parsed;
  /** Resource types moto 5.2.5's CloudFormation creates (moto/cloudformation/parsing.py's model map). */
  public static final Set<String> MOTO_TYPES = Set.of("AWS::DynamoDB::Table", "AWS::Events::Rule",
      "AWS::IAM::ManagedPolicy", "AWS::IAM::Policy", "AWS::IAM::Role", "AWS::KMS::Key", "AWS::S3::Bucket",
      "AWS::SNS::Topic", "AWS::SQS::Queue");
  /** Resource types of the template moto's CloudFormation skips ("No Moto CloudFormation support"). */
  public static final Set<String> ADAPTER_TYPES = Set.of("AWS::CloudTrail::Trail", "AWS::S3::BucketPolicy",
      "AWS::SNS::Subscription", "AWS::SNS::TopicPolicy", "AWS::SQS::QueuePolicy");
  private static final AtomicInteger STACKS = new AtomicInteger();

  private final String stackName;
  private final CfnTemplate template;
  private final Map<String, Map<String, String>> physical;

  private AwsStack(String stackName, CfnTemplate template, Map<String, Map<String, String>> physical) {
    this.stackName = stackName;
    this.template = template;
    this.physical = physical;
  }

  /** The whole template with these parameters. */
  public static AwsStack deploy(MotoServer moto, Map<String, String> parameters) {
    return deploy(moto, parameters, null);
  }

  /**
   * The resources named in {@code only} and everything they refer to (Ref, GetAtt, Sub,
   * DependsOn, in the Fn::If branches these parameters take); all resources if null.
   */
  public static AwsStack deploy(MotoServer moto, Map<String, String> parameters, Collection<String> only) {
    String stackName = "spacecrab-" + STACKS.incrementAndGet();
    Map<String, Object> raw = parsedTemplate();
    Map<String, Map<String, String>> physical = new HashMap<>();
    try (Clients aws = new Clients(moto)) {
      String account = aws.sts.getCallerIdentity().account();
      Map<String, String> pseudo = Map.of("AWS::AccountId", account, "AWS::Region", MotoServer.REGION,
          "AWS::Partition", "aws", "AWS::StackName", stackName, "AWS::URLSuffix", "amazonaws.com");
      CfnTemplate template = new CfnTemplate(raw, parameters, pseudo, (id, attribute) -> {
        Map<String, String> attrs = physical.get(id);
        if (attrs == null) {
          throw new IllegalStateException("resource " + id + " is not part of this deployment");
        }
        return attrs.get(attribute);
      });
      List<String> selected = select(template, only);
      createMotoPart(aws, template, raw, stackName, selected, physical);
      for (String id : selected) {
        if (ADAPTER_TYPES.contains(template.type(id))) {
          createByAdapter(aws, template, id, physical);
        } else if (!MOTO_TYPES.contains(template.type(id))) {
          throw new IllegalStateException("neither moto nor AwsStack creates " + template.type(id) + " " + id);
        }
      }
      fillInIgnoredProperties(aws, template, selected);
      for (String id : selected) {
        if (template.type(id).equals("AWS::CloudTrail::Trail")) {
          deliverLikeCloudTrail(aws, template.properties(id));
        }
      }
      return new AwsStack(stackName, template, physical);
    }
  }

  /**
   * cloudformation/spacecrab.yaml parsed once per JVM (about 0.2 s a parse on 2 busy cores, and
   * every mock-server test deploys a part of it); nothing here changes the parsed maps.
   */
  private static synchronized Map<String, Object> parsedTemplate() {
    if (parsed == null) {
      parsed = CfnTemplate.load(CfnTemplate.file());
    }
    return parsed;
  }

  public String stackName() {
    return stackName;
  }

  public CfnTemplate template() {
    return template;
  }

  /** Ref of a deployed resource. */
  public String ref(String logicalId) {
    return attribute(logicalId, "Ref");
  }

  /** Fn::GetAtt of a deployed resource. */
  public String attribute(String logicalId, String attribute) {
    Map<String, String> attrs = physical.get(logicalId);
    if (attrs == null || attrs.get(attribute) == null) {
      throw new IllegalArgumentException(logicalId + "." + attribute + " is not deployed");
    }
    return attrs.get(attribute);
  }

  /** The template's Outputs whose resources are deployed. */
  public Map<String, String> outputs() {
    Map<String, String> out = new LinkedHashMap<>();
    template.section("Outputs").forEach((name, spec) -> {
      Map<?, ?> output = (Map<?, ?>) spec;
      if (output.get("Condition") != null && !template.condition((String) output.get("Condition"))) {
        return;
      }
      if (template.references(output.get("Value")).stream().allMatch(physical::containsKey)) {
        out.put(name, String.valueOf(template.resolve(output.get("Value"))));
      }
    });
    return out;
  }

  /** The identity policies the template gives a role: (policy resource, resolved document). */
  public Map<String, Map<String, Object>> rolePolicies(String role) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (String id : template.resources()) {
      if (!template.type(id).equals("AWS::IAM::Policy")) {
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> props = (Map<String, Object>) template.resource(id).get("Properties");
      if (((List<?>) template.resolve(props.get("Roles"))).contains(ref(role))) {
        out.put(id, template.document(props.get("PolicyDocument")));
      }
    }
    return out;
  }

  /**
   * A policy as moto can enforce it. moto matches the Resource of a statement only for S3 (the
   * object or bucket ARN) and SQS (the queue ARN); for IAM, DynamoDB, KMS and SES it passes "*",
   * which an ARN never matches, so those statements get Resource "*". moto takes every condition
   * as met: an Allow with conditions allows, and a Deny with conditions would deny outright, so
   * conditional Denies are left out (cloudformation/tests/policy_scope.py proves them with an evaluator that
   * reads conditions). Unconditional Denies stay.
   */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> asMotoEnforces(Map<String, Object> document) {
    List<Object> statements = new ArrayList<>();
    Object list = document.get("Statement");
    for (Object s : list instanceof List<?> l ? l : List.of(list)) {
      Map<String, Object> statement = new LinkedHashMap<>((Map<String, Object>) s);
      if ("Deny".equals(statement.get("Effect")) && statement.containsKey("Condition")) {
        continue;
      }
      Object resource = statement.get("Resource");
      List<Object> resources = resource instanceof List<?> l ? new ArrayList<>(l) : List.of(resource);
      boolean enforced = resources.stream().allMatch(r -> r.equals("*")
          || String.valueOf(r).startsWith("arn:aws:s3:::") || String.valueOf(r).startsWith("arn:aws:sqs:"));
      if (!enforced) {
        statement.put("Resource", "*");
      }
      statements.add(statement);
    }
    Map<String, Object> out = new LinkedHashMap<>(document);
    out.put("Statement", statements);
    return out;
  }

  /**
   * A resource policy as moto can hold it. moto evaluates S3 bucket policies but not their
   * conditions (aws:SecureTransport among them), so a conditional Deny would refuse every request;
   * such statements are left out on moto and shown by the template checks instead.
   */
  @SuppressWarnings("unchecked")
  static Map<String, Object> withoutConditionalDenies(Map<String, Object> document) {
    List<Object> statements = new ArrayList<>();
    for (Object s : (List<?>) document.get("Statement")) {
      Map<String, Object> statement = (Map<String, Object>) s;
      if (!("Deny".equals(statement.get("Effect")) && statement.containsKey("Condition"))) {
        statements.add(statement);
      }
    }
    Map<String, Object> out = new LinkedHashMap<>(document);
    out.put("Statement", statements);
    return out;
  }

  // ------------------------------------------------------------------ deployment

  private static List<String> select(CfnTemplate template, Collection<String> only) {
    List<String> all = template.resources();
    if (only == null) {
      return all;
    }
    Set<String> wanted = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(only);
    while (!todo.isEmpty()) {
      String id = todo.pop();
      if (!all.contains(id)) {
        throw new IllegalArgumentException(id + " is not created with these parameters");
      }
      if (wanted.add(id)) {
        Map<String, Object> definition = template.resource(id);
        todo.addAll(template.references(definition.get("Properties")));
        Object dependsOn = definition.get("DependsOn");
        if (dependsOn instanceof String s) {
          todo.add(s);
        } else if (dependsOn instanceof List<?> l) {
          l.forEach(d -> todo.add((String) d));
        }
      }
    }
    return all.stream().filter(wanted::contains).toList();
  }

  private static void createMotoPart(Clients aws, CfnTemplate template, Map<String, Object> raw, String stackName,
      List<String> selected, Map<String, Map<String, String>> physical) {
    Map<String, Object> resources = new LinkedHashMap<>();
    for (String id : selected) {
      if (MOTO_TYPES.contains(template.type(id))) {
        Map<String, Object> definition = new LinkedHashMap<>(template.resource(id));
        definition.remove("DependsOn");
        if (template.type(id).equals("AWS::KMS::Key")) {
          // moto's CloudFormation stores KeyPolicy as an object where its KMS reads a JSON string
          // (DescribeKey then answers 500): pass it as the string CloudFormation would send
          @SuppressWarnings("unchecked")
          Map<String, Object> props = new LinkedHashMap<>((Map<String, Object>) definition.get("Properties"));
          props.put("KeyPolicy", CfnTemplate.json(template.document(props.get("KeyPolicy"))));
          definition.put("Properties", props);
        }
        resources.put(id, definition);
      }
    }
    if (resources.isEmpty()) {
      return;
    }
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("AWSTemplateFormatVersion", raw.get("AWSTemplateFormatVersion"));
    part.put("Parameters", raw.get("Parameters"));
    part.put("Conditions", raw.get("Conditions"));
    part.put("Resources", resources);
    List<Parameter> parameters = new ArrayList<>();
    template.parameters().forEach((k, v) -> parameters.add(Parameter.builder().parameterKey(k).parameterValue(v)
        .build()));
    aws.cfn.createStack(r -> r.stackName(stackName).templateBody(CfnTemplate.json(part)).parameters(parameters));
    var stack = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
        .until(() -> aws.cfn.describeStacks(r -> r.stackName(stackName)).stacks().get(0),
            s -> s.stackStatus() != StackStatus.CREATE_IN_PROGRESS);
    if (stack.stackStatus() != StackStatus.CREATE_COMPLETE) {
      throw new IllegalStateException("moto stack " + stackName + ": " + stack.stackStatus() + " "
          + stack.stackStatusReason());
    }
    for (StackResource r : aws.cfn.describeStackResources(b -> b.stackName(stackName)).stackResources()) {
      if (r.logicalResourceId() != null) {
        physical.put(r.logicalResourceId(), attributes(aws, r.resourceType(), r.physicalResourceId()));
      }
    }
  }

  /** Ref and the Fn::GetAtt attributes the template uses, for a resource moto created. */
  private static Map<String, String> attributes(Clients aws, String type, String id) {
    Map<String, String> a = new HashMap<>();
    a.put("Ref", id);
    switch (type) {
      case "AWS::S3::Bucket" -> a.put("Arn", "arn:aws:s3:::" + id);
      case "AWS::SQS::Queue" -> {
        String name = id.substring(id.lastIndexOf('/') + 1);
        String url = aws.sqs.getQueueUrl(r -> r.queueName(name)).queueUrl();
        a.put("Ref", url);
        a.put("QueueName", name);
        a.put("Arn", aws.sqs.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.QUEUE_ARN))
            .attributes().get(QueueAttributeName.QUEUE_ARN));
      }
      case "AWS::SNS::Topic" -> {
        a.put("TopicArn", id);
        a.put("TopicName", id.substring(id.lastIndexOf(':') + 1));
      }
      case "AWS::KMS::Key" -> {
        a.put("Arn", aws.kms.describeKey(r -> r.keyId(id)).keyMetadata().arn());
        a.put("KeyId", id);
      }
      case "AWS::DynamoDB::Table" -> a.put("Arn", aws.dynamo.describeTable(r -> r.tableName(id)).table().tableArn());
      case "AWS::IAM::Role" -> {
        var role = aws.iam.getRole(r -> r.roleName(id)).role();
        a.put("Arn", role.arn());
        a.put("RoleId", role.roleId());
      }
      case "AWS::Events::Rule" -> a.put("Arn", aws.events.describeRule(r -> r.name(id)).arn());
      default -> { }
    }
    return a;
  }

  private static void createByAdapter(Clients aws, CfnTemplate template, String id,
      Map<String, Map<String, String>> physical) {
    Map<String, Object> p = template.properties(id);
    Map<String, String> a = new HashMap<>();
    switch (template.type(id)) {
      case "AWS::SNS::TopicPolicy" -> {
        String policy = CfnTemplate.json(withoutConditionalDenies(asMap(p.get("PolicyDocument"))));
        for (Object topic : (List<?>) p.get("Topics")) {
          aws.sns.setTopicAttributes(r -> r.topicArn((String) topic).attributeName("Policy").attributeValue(policy));
        }
        a.put("Ref", id);
      }
      case "AWS::SQS::QueuePolicy" -> {
        String policy = CfnTemplate.json(withoutConditionalDenies(asMap(p.get("PolicyDocument"))));
        for (Object queue : (List<?>) p.get("Queues")) {
          aws.sqs.setQueueAttributes(r -> r.queueUrl((String) queue).attributes(Map.of(QueueAttributeName.POLICY,
              policy)));
        }
        a.put("Ref", id);
      }
      case "AWS::S3::BucketPolicy" -> {
        String bucket = (String) p.get("Bucket");
        aws.s3.putBucketPolicy(r -> r.bucket(bucket).policy(CfnTemplate.json(withoutConditionalDenies(
            asMap(p.get("PolicyDocument"))))));
        a.put("Ref", id);
      }
      case "AWS::SNS::Subscription" -> {
        Map<String, String> attributes = new HashMap<>();
        if (p.get("RawMessageDelivery") != null) {
          attributes.put("RawMessageDelivery", String.valueOf(p.get("RawMessageDelivery")));
        }
        a.put("Ref", aws.sns.subscribe(r -> r.topicArn((String) p.get("TopicArn")).protocol((String) p.get("Protocol"))
            .endpoint((String) p.get("Endpoint")).attributes(attributes)).subscriptionArn());
      }
      case "AWS::CloudTrail::Trail" -> {
        String name = (String) p.get("TrailName");
        String bucket = (String) p.get("S3BucketName");
        String topicName = (String) p.get("SnsTopicName");
        var trail = aws.cloudTrail.createTrail(r -> r.name(name).s3BucketName(bucket)
            .s3KeyPrefix((String) p.get("S3KeyPrefix")).snsTopicName(topicName)
            .kmsKeyId((String) p.get("KMSKeyId"))
            .isMultiRegionTrail(Boolean.TRUE.equals(p.get("IsMultiRegionTrail")))
            .includeGlobalServiceEvents(Boolean.TRUE.equals(p.get("IncludeGlobalServiceEvents")))
            .enableLogFileValidation(Boolean.TRUE.equals(p.get("EnableLogFileValidation"))));
        aws.cloudTrail.putEventSelectors(r -> r.trailName(name).eventSelectors(s -> s
            .readWriteType(ReadWriteType.ALL).includeManagementEvents(true)));
        if (Boolean.TRUE.equals(p.get("IsLogging"))) {
          aws.cloudTrail.startLogging(r -> r.name(name));
        }
        a.put("Ref", name);
        a.put("Arn", trail.trailARN());
      }
      default -> throw new IllegalStateException("AwsStack cannot create " + template.type(id));
    }
    physical.put(id, a);
  }

  /**
   * The stand-in for CloudTrail's notification of each log file it delivers (see the class
   * comment): ObjectCreated in the trail's bucket, to the trail's topic. Set last, once the
   * subscriptions exist, so that S3's test event reaches the queue as well.
   */
  private static void deliverLikeCloudTrail(Clients aws, Map<String, Object> trail) {
    String topicName = (String) trail.get("SnsTopicName");
    String topicArn = aws.sns.listTopics().topics().stream().map(t -> t.topicArn())
        .filter(t -> t.endsWith(":" + topicName)).findFirst().orElseThrow();
    aws.s3.putBucketNotificationConfiguration(r -> r.bucket((String) trail.get("S3BucketName"))
        .notificationConfiguration(n -> n.topicConfigurations(t -> t.topicArn(topicArn)
            .events(Event.S3_OBJECT_CREATED))));
  }

  /** Properties moto's CloudFormation accepts but does not apply, set through the service APIs. */
  @SuppressWarnings("unchecked")
  private static void fillInIgnoredProperties(Clients aws, CfnTemplate template, List<String> selected) {
    for (String id : selected) {
      Map<String, Object> p = template.properties(id);
      switch (template.type(id)) {
        case "AWS::DynamoDB::Table" -> {
          String table = template.ref(id).toString();
          Map<String, Object> ttl = (Map<String, Object>) p.get("TimeToLiveSpecification");
          if (ttl != null) {
            aws.dynamo.updateTimeToLive(r -> r.tableName(table).timeToLiveSpecification(s -> s
                .attributeName((String) ttl.get("AttributeName")).enabled(Boolean.TRUE.equals(ttl.get("Enabled")))));
          }
          Map<String, Object> pitr = (Map<String, Object>) p.get("PointInTimeRecoverySpecification");
          if (pitr != null) {
            aws.dynamo.updateContinuousBackups(r -> r.tableName(table).pointInTimeRecoverySpecification(s -> s
                .pointInTimeRecoveryEnabled(Boolean.TRUE.equals(pitr.get("PointInTimeRecoveryEnabled")))));
          }
        }
        case "AWS::S3::Bucket" -> {
          String bucket = template.ref(id).toString();
          Map<String, Object> block = (Map<String, Object>) p.get("PublicAccessBlockConfiguration");
          if (block != null) {
            aws.s3.putPublicAccessBlock(r -> r.bucket(bucket).publicAccessBlockConfiguration(c -> c
                .blockPublicAcls(Boolean.TRUE.equals(block.get("BlockPublicAcls")))
                .blockPublicPolicy(Boolean.TRUE.equals(block.get("BlockPublicPolicy")))
                .ignorePublicAcls(Boolean.TRUE.equals(block.get("IgnorePublicAcls")))
                .restrictPublicBuckets(Boolean.TRUE.equals(block.get("RestrictPublicBuckets")))));
          }
          Map<String, Object> versioning = (Map<String, Object>) p.get("VersioningConfiguration");
          if (versioning != null) {
            aws.s3.putBucketVersioning(r -> r.bucket(bucket).versioningConfiguration(v -> v
                .status(BucketVersioningStatus.fromValue((String) versioning.get("Status")))));
          }
          Map<String, Object> ownership = (Map<String, Object>) p.get("OwnershipControls");
          if (ownership != null) {
            String rule = (String) ((Map<String, Object>) ((List<?>) ownership.get("Rules")).get(0))
                .get("ObjectOwnership");
            aws.s3.putBucketOwnershipControls(r -> r.bucket(bucket).ownershipControls(o -> o
                .rules(x -> x.objectOwnership(ObjectOwnership.fromValue(rule)))));
          }
          Map<String, Object> lifecycle = (Map<String, Object>) p.get("LifecycleConfiguration");
          if (lifecycle != null) {
            List<software.amazon.awssdk.services.s3.model.LifecycleRule> rules = new ArrayList<>();
            for (Object o : (List<?>) lifecycle.get("Rules")) {
              Map<String, Object> rule = (Map<String, Object>) o;
              rules.add(software.amazon.awssdk.services.s3.model.LifecycleRule.builder()
                  .id((String) rule.get("Id")).filter(f -> f.prefix(""))
                  .status(ExpirationStatus.fromValue((String) rule.get("Status")))
                  .expiration(e -> e.days(Integer.valueOf(String.valueOf(rule.get("ExpirationInDays")))))
                  .noncurrentVersionExpiration(e -> e.noncurrentDays(Integer.valueOf(String.valueOf(
                      ((Map<String, Object>) rule.get("NoncurrentVersionExpiration")).get("NoncurrentDays")))))
                  .abortIncompleteMultipartUpload(e -> e.daysAfterInitiation(Integer.valueOf(String.valueOf(
                      ((Map<String, Object>) rule.get("AbortIncompleteMultipartUpload")).get("DaysAfterInitiation")))))
                  .build());
            }
            aws.s3.putBucketLifecycleConfiguration(r -> r.bucket(bucket).lifecycleConfiguration(c -> c.rules(rules)));
          }
        }
        default -> { }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  /** The administrator's clients for every service the stack touches. */
  private static final class Clients implements AutoCloseable {
    final CloudFormationClient cfn;
    final SqsClient sqs;
    final SnsClient sns;
    final S3Client s3;
    final KmsClient kms;
    final DynamoDbClient dynamo;
    final IamClient iam;
    final EventBridgeClient events;
    final CloudTrailClient cloudTrail;
    final StsClient sts;

    Clients(MotoServer moto) {
      StaticCredentialsProvider admin = moto.adminCredentials();
      cfn = build(CloudFormationClient.builder(), moto, admin);
      sqs = build(SqsClient.builder(), moto, admin);
      sns = build(SnsClient.builder(), moto, admin);
      s3 = build(S3Client.builder().forcePathStyle(true), moto, admin);
      kms = build(KmsClient.builder(), moto, admin);
      dynamo = build(DynamoDbClient.builder(), moto, admin);
      iam = build(IamClient.builder(), moto, admin);
      events = build(EventBridgeClient.builder(), moto, admin);
      cloudTrail = build(CloudTrailClient.builder(), moto, admin);
      sts = build(StsClient.builder(), moto, admin);
    }

    private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder,
        MotoServer moto, StaticCredentialsProvider credentials) {
      return builder.endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
          .credentialsProvider(credentials).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    @Override
    public void close() {
      for (AutoCloseable c : List.<AutoCloseable>of(cfn, sqs, sns, s3, kms, dynamo, iam, events, cloudTrail, sts)) {
        try {
          c.close();
        } catch (Exception ignored) {
          // closing a client
        }
      }
    }
  }
}
