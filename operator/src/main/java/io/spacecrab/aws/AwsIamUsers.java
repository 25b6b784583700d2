package io.spacecrab.aws;

import io.spacecrab.aws.AwsCallException.Kind;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.ListUsersResponse;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;
import software.amazon.awssdk.services.iam.model.User;

/**
 * {@link IamUsers} on the AWS SDK. Every attempt first takes a permit from the shared
 * {@link IamCallBudget} and reports back how it went; the SDK clients make one attempt each, and
 * idempotent calls are retried here (so that retries are paced by the budget too).
 */
public class AwsIamUsers implements IamUsers {
  /** Attempts per idempotent call; the reconciler's backoff takes over after that. */
  static final int MAX_ATTEMPTS = 3;

  private final IamClient iam;
  private final IamClient iamWithoutRetries;
  private final IamCallBudget budget;
  private final int listPageSize;

  /**
   * @param iam the client for every idempotent call
   * @param iamWithoutRetries a client whose SDK retries are off, for CreateAccessKey
   * @param budget the process-wide IAM call budget every attempt draws from
   */
  public AwsIamUsers(IamClient iam, IamClient iamWithoutRetries, IamCallBudget budget) {
    this(iam, iamWithoutRetries, budget, 1000);
  }

  /** As above, with ListUsers pages of this size (tests use small pages). */
  AwsIamUsers(IamClient iam, IamClient iamWithoutRetries, IamCallBudget budget, int listPageSize) {
    this.iam = iam;
    this.iamWithoutRetries = iamWithoutRetries;
    this.budget = budget;
    this.listPageSize = listPageSize;
  }

  @Override
  public Optional<IamUser> findUser(String userName) {
    return call("IAM GetUser", () -> {
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
    User user = call("IAM CreateUser", () -> iam.createUser(r -> {
      r.userName(userName).path(path).tags(tagList);
      if (boundaryArn != null) {
        r.permissionsBoundary(boundaryArn);
      }
    }).user());
    return new IamUser(user.userName(), user.userId(), user.arn(), Map.copyOf(tags), boundaryArn);
  }

  @Override
  public void setPermissionsBoundary(String userName, String boundaryArn) {
    run("IAM PutUserPermissionsBoundary",
        () -> iam.putUserPermissionsBoundary(r -> r.userName(userName).permissionsBoundary(boundaryArn)));
  }

  @Override
  public Optional<String> inlinePolicy(String userName, String policyName) {
    return call("IAM GetUserPolicy", () -> {
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
    run("IAM PutUserPolicy",
        () -> iam.putUserPolicy(r -> r.userName(userName).policyName(policyName).policyDocument(document)));
  }

  @Override
  public List<AccessKeyInfo> listAccessKeys(String userName) {
    return call("IAM ListAccessKeys", () -> iam.listAccessKeys(r -> r.userName(userName))
        .accessKeyMetadata().stream()
        .map(k -> new AccessKeyInfo(k.accessKeyId(), k.status() == StatusType.ACTIVE, k.createDate()))
        .toList());
  }

  @Override
  public IssuedKey createAccessKey(String userName) {
    AccessKey key = attempt("IAM CreateAccessKey",
        () -> iamWithoutRetries.createAccessKey(r -> r.userName(userName)).accessKey());
    return new IssuedKey(key.accessKeyId(), key.secretAccessKey());
  }

  @Override
  public void deleteAccessKey(String userName, String accessKeyId) {
    run("IAM DeleteAccessKey", () -> {
      try {
        iam.deleteAccessKey(r -> r.userName(userName).accessKeyId(accessKeyId));
      } catch (NoSuchEntityException e) {
        // already gone
      }
    });
  }

  @Override
  public void deleteUser(String userName) {
    try {
      for (var key : call("IAM ListAccessKeys", () -> iam.listAccessKeys(r -> r.userName(userName)))
          .accessKeyMetadata()) {
        deleteAccessKey(userName, key.accessKeyId());
      }
      for (String policy : call("IAM ListUserPolicies", () -> iam.listUserPolicies(r -> r.userName(userName)))
          .policyNames()) {
        run("IAM DeleteUserPolicy", () -> iam.deleteUserPolicy(r -> r.userName(userName).policyName(policy)));
      }
      run("IAM DeleteUser", () -> iam.deleteUser(r -> r.userName(userName)));
    } catch (AwsCallException e) {
      if (e.kind() != Kind.NOT_FOUND) {
        throw e;
      }
    }
  }

  @Override
  public List<String> userNames() {
    List<String> names = new ArrayList<>();
    String marker = null;
    do {
      String from = marker;
      ListUsersResponse page = call("IAM ListUsers", () -> iam.listUsers(r -> r.marker(from).maxItems(listPageSize)));
      page.users().forEach(u -> names.add(u.userName()));
      marker = Boolean.TRUE.equals(page.isTruncated()) ? page.marker() : null;
    } while (marker != null);
    return names;
  }

  /** An idempotent call: up to {@link #MAX_ATTEMPTS} budgeted attempts while the answer is retryable. */
  private <T> T call(String operation, Supplier<T> sdkCall) {
    for (int attempt = 1; ; attempt++) {
      try {
        return attempt(operation, sdkCall);
      } catch (AwsCallException e) {
        if (!e.retryable() || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void run(String operation, Runnable sdkCall) {
    call(operation, () -> {
      sdkCall.run();
      return null;
    });
  }

  /** One budgeted attempt: a permit first, then the call; throttling answers slow the budget down. */
  private <T> T attempt(String operation, Supplier<T> sdkCall) {
    try {
      budget.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AwsCallException(Kind.TRANSIENT, null, operation + " was interrupted while waiting for the IAM"
          + " call budget", null);
    }
    try {
      T result = AwsErrors.call(operation, sdkCall);
      budget.onSuccess();
      return result;
    } catch (AwsCallException e) {
      if (e.kind() == Kind.THROTTLED) {
        budget.onThrottled();
      } else {
        budget.onSuccess();
      }
      throw e;
    }
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
