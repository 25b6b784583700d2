package io.spacecrab.token;

import static io.spacecrab.aws.UserAttachment.ACCESS_KEY;
import static io.spacecrab.aws.UserAttachment.GROUP;
import static io.spacecrab.aws.UserAttachment.INLINE_POLICY;
import static io.spacecrab.aws.UserAttachment.LOGIN_PROFILE;
import static io.spacecrab.aws.UserAttachment.MANAGED_POLICY;
import static io.spacecrab.aws.UserAttachment.MFA_DEVICE;
import static io.spacecrab.aws.UserAttachment.SERVICE_SPECIFIC_CREDENTIAL;
import static io.spacecrab.aws.UserAttachment.SIGNING_CERTIFICATE;
import static io.spacecrab.aws.UserAttachment.SSH_PUBLIC_KEY;

import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.AwsCallException.Kind;
import io.spacecrab.aws.IamUser;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.aws.UserAttachment;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes a token's IAM user with everything IAM keeps on it, in an order that leaves the user
 * unable to act until it is gone (token/DESIGN.md, "Teardown"): keys first, then whatever could
 * grant or prove anything (managed policies, groups, console password, MFA devices, signing
 * certificates, SSH keys, service-specific credentials, other inline policies), the deny-all
 * policy last, then the user. Every step finds its own earlier work (a thing already gone is
 * done), so a retry or a new process simply runs it again.
 */
final class UserTeardown {
  private static final Logger log = LoggerFactory.getLogger(UserTeardown.class);
  /** The order of removal; inline policies last, and among them the deny-all policy after the others. */
  static final List<UserAttachment> ORDER = List.of(ACCESS_KEY, MANAGED_POLICY, GROUP, LOGIN_PROFILE, MFA_DEVICE,
      SIGNING_CERTIFICATE, SSH_PUBLIC_KEY, SERVICE_SPECIFIC_CREDENTIAL, INLINE_POLICY);

  private final IamUsers iam;
  private final String denyPolicyName;
  private final String denyPolicy;

  UserTeardown(IamUsers iam, String denyPolicyName, String denyPolicy) {
    this.iam = iam;
    this.denyPolicyName = denyPolicyName;
    this.denyPolicy = denyPolicy;
  }

  /**
   * Removes everything from the user, then the user. Returns what could not be removed, with why
   * (empty when the user is gone); while anything is left the deny-all policy and the user stay.
   * Retryable AWS errors are thrown.
   */
  List<String> run(IamUser user) {
    List<String> left = new ArrayList<>();
    boolean hasDenyPolicy = false;
    for (UserAttachment kind : ORDER) {
      List<String> ids;
      try {
        ids = iam.attachments(user.name(), kind);
      } catch (AwsCallException e) {
        if (gone(user, e)) {
          return List.of();
        }
        left.add("its " + kind.noun() + "s, which could not be listed (" + e.getMessage() + ")");
        continue;
      }
      for (String id : ids) {
        if (kind == INLINE_POLICY && id.equals(denyPolicyName)) {
          hasDenyPolicy = true;
          continue;
        }
        try {
          iam.remove(user.name(), kind, id);
          if (kind != ACCESS_KEY) {
            log.info("removed {} from IAM user {} before deleting it", describe(kind, id), user.name());
          }
        } catch (AwsCallException e) {
          if (gone(user, e)) {
            return List.of();
          }
          left.add(describe(kind, id) + " (" + e.getMessage() + hint(kind, e) + ")");
        }
      }
    }
    if (!left.isEmpty()) {
      return left;
    }
    try {
      if (hasDenyPolicy) {
        iam.remove(user.name(), INLINE_POLICY, denyPolicyName);
      }
      iam.deleteUser(user.name());
      return List.of();
    } catch (AwsCallException e) {
      if (gone(user, e)) {
        return List.of();
      }
      // something this teardown does not know, or added in the meantime: the user must not stay
      // without its deny-all policy
      restoreDenyPolicy(user);
      return List.of("the deletion of the user itself (" + e.getMessage() + ")");
    }
  }

  /**
   * After a failed step: is the user gone (NOT_FOUND, or, since the stack's tag-scoped policies
   * answer AccessDenied rather than NoSuchEntity for a user that no longer exists, AccessDenied and
   * GetUser finds no user of that id)? Retryable errors are thrown for the reconciler's backoff.
   */
  boolean gone(IamUser user, AwsCallException e) {
    if (e.retryable()) {
      throw e;
    }
    if (e.kind() == Kind.NOT_FOUND) {
      return true;
    }
    if (e.kind() != Kind.ACCESS_DENIED) {
      return false;
    }
    return iam.findUser(user.name()).map(u -> !u.userId().equals(user.userId())).orElse(true);
  }

  private void restoreDenyPolicy(IamUser user) {
    try {
      iam.putInlinePolicy(user.name(), denyPolicyName, denyPolicy);
    } catch (AwsCallException e) {
      log.warn("could not put back the deny-all policy of IAM user {}: {}; the next attempt does", user.name(),
          e.getMessage());
    }
  }

  /** "group ops", "managed policy arn:…", "console password". */
  static String describe(UserAttachment kind, String id) {
    return kind == LOGIN_PROFILE ? kind.noun() : kind.noun() + " " + id;
  }

  /** What an operator on call can do about a refusal the stack is known to give. */
  static String hint(UserAttachment kind, AwsCallException e) {
    if (kind == GROUP && e.kind() == Kind.ACCESS_DENIED) {
      return "; IAM checks RemoveUserFromGroup against the group, so the stack grants it only with"
          + " AllowRemoveFromGroups=true: deploy it so, or remove the user from the group";
    }
    return "";
  }
}
