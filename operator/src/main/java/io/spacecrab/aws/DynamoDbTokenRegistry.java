package io.spacecrab.aws;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * {@link TokenRegistry} in one DynamoDB table: hash key {@code accessKeyId}, global secondary
 * index {@code principalId-index} on {@code principalId}, TTL attribute {@code expireAt}.
 */
public class DynamoDbTokenRegistry implements TokenRegistry {
  public static final String PRINCIPAL_INDEX = "principalId-index";
  public static final String TTL_ATTRIBUTE = "expireAt";

  private final DynamoDbClient dynamo;
  private final String table;

  public DynamoDbTokenRegistry(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** Creates the table as the CloudFormation stack does; for tests and the demo. */
  public void createTable() {
    AwsErrors.run("DynamoDB CreateTable", () -> dynamo.createTable(r -> r.tableName(table)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName("accessKeyId").attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName("principalId").attributeType(ScalarAttributeType.S).build())
        .keySchema(KeySchemaElement.builder().attributeName("accessKeyId").keyType(KeyType.HASH).build())
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(PRINCIPAL_INDEX)
            .keySchema(KeySchemaElement.builder().attributeName("principalId").keyType(KeyType.HASH).build())
            .projection(p -> p.projectionType(ProjectionType.ALL)).build())));
  }

  @Override
  public void put(RegistryRecord record) {
    AwsErrors.run("DynamoDB PutItem", () -> dynamo.putItem(r -> r.tableName(table).item(toItem(record))));
  }

  @Override
  public Optional<RegistryRecord> get(String accessKeyId) {
    return AwsErrors.call("DynamoDB GetItem", () -> {
      var response = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
          .key(Map.of("accessKeyId", AttributeValue.fromS(accessKeyId))));
      return response.hasItem() && !response.item().isEmpty()
          ? Optional.of(fromItem(response.item())) : Optional.<RegistryRecord>empty();
    });
  }

  @Override
  public List<RegistryRecord> findByPrincipalId(String principalId) {
    return AwsErrors.call("DynamoDB Query", () -> {
      List<RegistryRecord> records = new ArrayList<>();
      dynamo.queryPaginator(r -> r.tableName(table).indexName(PRINCIPAL_INDEX)
              .keyConditionExpression("principalId = :p")
              .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(principalId))))
          .items().forEach(item -> records.add(fromItem(item)));
      return records;
    });
  }

  @Override
  public List<RegistryRecord> scanAll() {
    return AwsErrors.call("DynamoDB Scan", () -> {
      List<RegistryRecord> records = new ArrayList<>();
      dynamo.scanPaginator(r -> r.tableName(table)).items().forEach(item -> records.add(fromItem(item)));
      return records;
    });
  }

  static Map<String, AttributeValue> toItem(RegistryRecord r) {
    Map<String, AttributeValue> item = new HashMap<>();
    putString(item, "accessKeyId", r.accessKeyId());
    putString(item, "principalId", r.principalId());
    putString(item, "userName", r.userName());
    putString(item, "userArn", r.userArn());
    putString(item, "cluster", r.cluster());
    putString(item, "namespace", r.namespace());
    putString(item, "name", r.name());
    putString(item, "uid", r.uid());
    putString(item, "owner", r.owner());
    putString(item, "location", r.location());
    putString(item, "notes", r.notes());
    putString(item, "createdAt", r.createdAt() == null ? null : r.createdAt().toString());
    putString(item, "state", r.state().name());
    putString(item, "sealedSecret", r.sealedSecret());
    if (r.expireAt() != null) {
      item.put(TTL_ATTRIBUTE, AttributeValue.fromN(Long.toString(r.expireAt().getEpochSecond())));
    }
    return item;
  }

  static RegistryRecord fromItem(Map<String, AttributeValue> item) {
    String created = string(item, "createdAt");
    AttributeValue ttl = item.get(TTL_ATTRIBUTE);
    return new RegistryRecord(string(item, "accessKeyId"), string(item, "principalId"), string(item, "userName"),
        string(item, "userArn"), string(item, "cluster"), string(item, "namespace"), string(item, "name"),
        string(item, "uid"), string(item, "owner"), string(item, "location"), string(item, "notes"),
        created == null ? null : Instant.parse(created), RegistryState.valueOf(string(item, "state")),
        string(item, "sealedSecret"), ttl == null ? null : Instant.ofEpochSecond(Long.parseLong(ttl.n())));
  }

  private static void putString(Map<String, AttributeValue> item, String name, String value) {
    if (value != null && !value.isEmpty()) {
      item.put(name, AttributeValue.fromS(value));
    }
  }

  private static String string(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    return v == null ? null : v.s();
  }
}
