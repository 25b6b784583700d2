package io.spacecrab.aws;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/** {@link IamUsers} on the AWS SDK. */
public class AwsIamUsers implements IamUsers {
  private final IamClient iam;
  private final IamClient iamWithoutRetries;

  /**
   * @param iam the client for every idempotent call
   * @param iamWithoutRetries a client whose SDK retries are off, for CreateAccessKey
   */
  public AwsIamUsers(IamClient iam, IamClient iamWithoutRetries) {
    this.iam = iam;
    this.iamWithoutRetries = iamWithoutRetries;
  }

  @Override
  public Optional<IamUser> findUser(String userName) {
    return AwsErrors.call("IAM GetUser", () -> {
      try {
        return Optional.of(toUser(iam.getUser(r -> r.userName(userName)).user()));
      } catch (NoSuchEntityException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public IamUser createUser(String userName, String path, String boundaryArn, Map<String, String> tags) {
    List<Tag> tagList = tags.entrySet().stream()
        .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
        .toList();
    User user = AwsErrors.call("IAM CreateUser", () -> iam.createUser(r -> {
      r.userName(userName).path(path).tags(tagList);
      if (boundaryArn != null) {
        r.permissionsBoundary(boundaryArn);
      }
    }).user());
    return new IamUser(user.userName(), user.userId(), user.arn(), Map.copyOf(tags), boundaryArn);
  }

  @Override
  public void setPermissionsBoundary(String userName, String boundaryArn) {
    AwsErrors.run("IAM PutUserPermissionsBoundary",
        () -> iam.putUserPermissionsBoundary(r -> r.userName(userName).permissionsBoundary(boundaryArn)));
  }

  @Override
  public Optional<String> inlinePolicy(String userName, String policyName) {
    return AwsErrors.call("IAM GetUserPolicy", () -> {
      try {
        String doc = iam.getUserPolicy(r -> r.userName(userName).policyName(policyName)).policyDocument();
        return Optional.of(decode(doc));
      } catch (NoSuchEntityException e) {
        return Optional.empty();
      }
    });
  }

  @Override
  public void putInlinePolicy(String userName, String policyName, String document) {
    AwsErrors.run("IAM PutUserPolicy",
        () -> iam.putUserPolicy(r -> r.userName(userName).policyName(policyName).policyDocument(document)));
  }

  @Override
  public List<AccessKeyInfo> listAccessKeys(String userName) {
    return AwsErrors.call("IAM ListAccessKeys", () -> iam.listAccessKeys(r -> r.userName(userName))
        .accessKeyMetadata().stream()
        .map(k -> new AccessKeyInfo(k.accessKeyId(), k.status() == StatusType.ACTIVE, k.createDate()))
        .toList());
  }

  @Override
  public IssuedKey createAccessKey(String userName) {
    AccessKey key = AwsErrors.call("IAM CreateAccessKey",
        () -> iamWithoutRetries.createAccessKey(r -> r.userName(userName)).accessKey());
    return new IssuedKey(key.accessKeyId(), key.secretAccessKey());
  }

  @Override
  public void deleteAccessKey(String userName, String accessKeyId) {
    AwsErrors.run("IAM DeleteAccessKey", () -> {
      try {
        iam.deleteAccessKey(r -> r.userName(userName).accessKeyId(accessKeyId));
      } catch (NoSuchEntityException e) {
        // already gone
      }
    });
  }

  @Override
  public void deleteUser(String userName) {
    AwsErrors.run("IAM DeleteUser", () -> {
      try {
        for (var key : iam.listAccessKeys(r -> r.userName(userName)).accessKeyMetadata()) {
          iam.deleteAccessKey(r -> r.userName(userName).accessKeyId(key.accessKeyId()));
        }
        for (String policy : iam.listUserPolicies(r -> r.userName(userName)).policyNames()) {
          iam.deleteUserPolicy(r -> r.userName(userName).policyName(policy));
        }
        iam.deleteUser(r -> r.userName(userName));
      } catch (NoSuchEntityException e) {
        // already gone
      }
    });
  }

  private static IamUser toUser(User user) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (user.hasTags()) {
      user.tags().forEach(t -> tags.put(t.key(), t.value()));
    }
    String boundary = user.permissionsBoundary() == null ? null : user.permissionsBoundary().permissionsBoundaryArn();
    return new IamUser(user.userName(), user.userId(), user.arn(), Map.copyOf(tags), boundary);
  }

  private static String decode(String document) {
    return document.startsWith("%") || document.contains("%22")
        ? URLDecoder.decode(document, StandardCharsets.UTF_8) : document;
  }
}
