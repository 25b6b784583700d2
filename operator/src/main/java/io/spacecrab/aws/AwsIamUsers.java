package io.spacecrab.aws;

import io.spacecrab.aws.AwsCallException.Kind;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.AccessKeyLastUsed;
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
  public Optional<AccessKeyLastUse> accessKeyLastUsed(String accessKeyId) {
    return call("IAM GetAccessKeyLastUsed", () -> {
      AccessKeyLastUsed used = iam.getAccessKeyLastUsed(r -> r.accessKeyId(accessKeyId)).accessKeyLastUsed();
      if (used == null || used.lastUsedDate() == null) {
        return Optional.<AccessKeyLastUse>empty();
      }
      return Optional.of(new AccessKeyLastUse(used.lastUsedDate(), known(used.serviceName()), known(used.region())));
    });
  }

  /** IAM's "N/A" (and nothing) as null. */
  private static String known(String value) {
    return value == null || value.isBlank() || "N/A".equals(value) ? null : value;
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
  public List<String> attachments(String userName, UserAttachment kind) {
    return switch (kind) {
      case ACCESS_KEY -> pages("IAM ListAccessKeys", m -> iam.listAccessKeys(r -> r.userName(userName).marker(m)),
          p -> p.accessKeyMetadata().stream().map(k -> k.accessKeyId()).toList(), p -> p.isTruncated(), p -> p.marker());
      case MANAGED_POLICY -> pages("IAM ListAttachedUserPolicies",
          m -> iam.listAttachedUserPolicies(r -> r.userName(userName).marker(m)),
          p -> p.attachedPolicies().stream().map(a -> a.policyArn()).toList(), p -> p.isTruncated(), p -> p.marker());
      case GROUP -> pages("IAM ListGroupsForUser", m -> iam.listGroupsForUser(r -> r.userName(userName).marker(m)),
          p -> p.groups().stream().map(g -> g.groupName()).toList(), p -> p.isTruncated(), p -> p.marker());
      case LOGIN_PROFILE -> call("IAM GetLoginProfile", () -> {
        try {
          iam.getLoginProfile(r -> r.userName(userName));
          return List.of(userName);
        } catch (NoSuchEntityException e) {
          return List.<String>of();
        }
      });
      case MFA_DEVICE -> pages("IAM ListMFADevices", m -> iam.listMFADevices(r -> r.userName(userName).marker(m)),
          p -> p.mfaDevices().stream().map(d -> d.serialNumber()).toList(), p -> p.isTruncated(), p -> p.marker());
      case SIGNING_CERTIFICATE -> pages("IAM ListSigningCertificates",
          m -> iam.listSigningCertificates(r -> r.userName(userName).marker(m)),
          p -> p.certificates().stream().map(c -> c.certificateId()).toList(), p -> p.isTruncated(), p -> p.marker());
      case SSH_PUBLIC_KEY -> pages("IAM ListSSHPublicKeys", m -> iam.listSSHPublicKeys(r -> r.userName(userName).marker(m)),
          p -> p.sshPublicKeys().stream().map(k -> k.sshPublicKeyId()).toList(), p -> p.isTruncated(), p -> p.marker());
      case SERVICE_SPECIFIC_CREDENTIAL -> {
        try {
          yield pages("IAM ListServiceSpecificCredentials",
              m -> iam.listServiceSpecificCredentials(r -> r.userName(userName).marker(m)),
              p -> p.serviceSpecificCredentials().stream().map(c -> c.serviceSpecificCredentialId()).toList(),
              p -> p.isTruncated(), p -> p.marker());
        } catch (AwsCallException e) {
          // a partition without any service that has such credentials
          if ("NotSupportedService".equals(e.errorCode())) {
            yield List.of();
          }
          throw e;
        }
      }
      case INLINE_POLICY -> pages("IAM ListUserPolicies", m -> iam.listUserPolicies(r -> r.userName(userName).marker(m)),
          p -> p.policyNames(), p -> p.isTruncated(), p -> p.marker());
    };
  }

  @Override
  public void remove(String userName, UserAttachment kind, String id) {
    switch (kind) {
      case ACCESS_KEY -> deleteAccessKey(userName, id);
      case MANAGED_POLICY -> ifPresent("IAM DetachUserPolicy",
          () -> iam.detachUserPolicy(r -> r.userName(userName).policyArn(id)));
      case GROUP -> ifPresent("IAM RemoveUserFromGroup",
          () -> iam.removeUserFromGroup(r -> r.userName(userName).groupName(id)));
      case LOGIN_PROFILE -> ifPresent("IAM DeleteLoginProfile", () -> iam.deleteLoginProfile(r -> r.userName(userName)));
      case MFA_DEVICE -> {
        ifPresent("IAM DeactivateMFADevice", () -> iam.deactivateMFADevice(r -> r.userName(userName).serialNumber(id)));
        if (id.contains(":mfa/")) {
          // a virtual device (its serial number is its ARN); hardware and FIDO devices are not IAM's to delete
          ifPresent("IAM DeleteVirtualMFADevice", () -> iam.deleteVirtualMFADevice(r -> r.serialNumber(id)));
        }
      }
      case SIGNING_CERTIFICATE -> ifPresent("IAM DeleteSigningCertificate",
          () -> iam.deleteSigningCertificate(r -> r.userName(userName).certificateId(id)));
      case SSH_PUBLIC_KEY -> ifPresent("IAM DeleteSSHPublicKey",
          () -> iam.deleteSSHPublicKey(r -> r.userName(userName).sshPublicKeyId(id)));
      case SERVICE_SPECIFIC_CREDENTIAL -> ifPresent("IAM DeleteServiceSpecificCredential",
          () -> iam.deleteServiceSpecificCredential(r -> r.userName(userName).serviceSpecificCredentialId(id)));
      case INLINE_POLICY -> ifPresent("IAM DeleteUserPolicy",
          () -> iam.deleteUserPolicy(r -> r.userName(userName).policyName(id)));
    }
  }

  @Override
  public void deleteUser(String userName) {
    ifPresent("IAM DeleteUser", () -> iam.deleteUser(r -> r.userName(userName)));
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

  /** An idempotent removal: NoSuchEntity means it is gone already. */
  private void ifPresent(String operation, Runnable sdkCall) {
    run(operation, () -> {
      try {
        sdkCall.run();
      } catch (NoSuchEntityException e) {
        // already gone
      }
    });
  }

  /** Every page of a list call, each page a budgeted call of its own. */
  private <R> List<String> pages(String operation, Function<String, R> page, Function<R, List<String>> ids,
      Function<R, Boolean> truncated, Function<R, String> nextMarker) {
    List<String> all = new ArrayList<>();
    String marker = null;
    do {
      String from = marker;
      R response = call(operation, () -> page.apply(from));
      all.addAll(ids.apply(response));
      marker = Boolean.TRUE.equals(truncated.apply(response)) ? nextMarker.apply(response) : null;
    } while (marker != null);
    return all;
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
