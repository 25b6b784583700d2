package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.AwsCallException.Kind;
import io.spacecrab.aws.IamUser;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.aws.UserAttachment;
import io.spacecrab.testing.UnsupportedIamUsers;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The teardown's order and its answers to refusals, on an in-memory IAM user that answers as the
 * stack's tag-scoped policies make IAM answer (AccessDenied, not NoSuchEntity, once the user is gone).
 */
class UserTeardownTest {
  static final String DENY = "default";

  /** One IAM user (or none), its attachments, and the calls IAM refuses. */
  static class InMemoryIamUsers extends UnsupportedIamUsers {
    IamUser user = new IamUser("deploy", "AIDAUSER", "arn:aws:iam::123456789012:user/deploy", Map.of("team", "c"), null);
    final Map<UserAttachment, List<String>> attached = new EnumMap<>(UserAttachment.class);
    /** Removals refused with AccessDenied, by kind. */
    Set<UserAttachment> refused = Set.of();
    /** DeleteUser answers DeleteConflict while this is set. */
    boolean conflict;
    final List<String> log = new ArrayList<>();

    InMemoryIamUsers() {
      for (UserAttachment kind : UserAttachment.values()) {
        attached.put(kind, new ArrayList<>());
      }
    }

    private void requireUser(String operation) {
      if (user == null) {
        // the stack's policies: the ownership-tag condition fails for a user that does not exist
        throw new AwsCallException(Kind.ACCESS_DENIED, "AccessDenied", "IAM " + operation + " failed: AccessDenied",
            null);
      }
    }

    @Override
    public Optional<io.spacecrab.aws.AccessKeyLastUse> accessKeyLastUsed(String accessKeyId) {
      return Optional.empty();
    }

    @Override
    public Optional<IamUser> findUser(String userName) {
      log.add("GetUser");
      return Optional.ofNullable(user);
    }

    @Override
    public List<String> attachments(String userName, UserAttachment kind) {
      requireUser("List " + kind);
      return List.copyOf(attached.get(kind));
    }

    @Override
    public void remove(String userName, UserAttachment kind, String id) {
      requireUser("Remove " + kind);
      if (refused.contains(kind)) {
        throw new AwsCallException(Kind.ACCESS_DENIED, "AccessDenied", "IAM remove " + kind + " failed: AccessDenied",
            null);
      }
      attached.get(kind).remove(id);
      log.add("remove " + kind + " " + id);
    }

    @Override
    public void deleteUser(String userName) {
      requireUser("DeleteUser");
      if (conflict || attached.values().stream().anyMatch(l -> !l.isEmpty())) {
        throw new AwsCallException(Kind.INVALID, "DeleteConflict", "IAM DeleteUser failed: DeleteConflict", null);
      }
      user = null;
      log.add("DeleteUser");
    }

    @Override
    public void putInlinePolicy(String userName, String policyName, String document) {
      requireUser("PutUserPolicy");
      if (!attached.get(UserAttachment.INLINE_POLICY).contains(policyName)) {
        attached.get(UserAttachment.INLINE_POLICY).add(policyName);
      }
      log.add("put " + policyName);
    }
  }

  final InMemoryIamUsers iam = new InMemoryIamUsers();
  final IamUser user = iam.user;
  final UserTeardown teardown = new UserTeardown(iam, DENY, TokenIssuer.DENY_ALL);

  void attach(UserAttachment kind, String... ids) {
    iam.attached.get(kind).addAll(List.of(ids));
  }

  @Test
  void removesKeysFirstTheDenyPolicyLastThenTheUser() {
    attach(UserAttachment.INLINE_POLICY, DENY, "ops-inline");
    attach(UserAttachment.GROUP, "ops");
    attach(UserAttachment.ACCESS_KEY, "AKIAKEY");
    attach(UserAttachment.MANAGED_POLICY, "arn:aws:iam::aws:policy/ReadOnlyAccess");
    attach(UserAttachment.LOGIN_PROFILE, "deploy");
    attach(UserAttachment.MFA_DEVICE, "arn:aws:iam::123456789012:mfa/deploy");

    assertThat(teardown.run(user)).isEmpty();
    assertThat(iam.log).containsExactly("remove ACCESS_KEY AKIAKEY",
        "remove MANAGED_POLICY arn:aws:iam::aws:policy/ReadOnlyAccess", "remove GROUP ops",
        "remove LOGIN_PROFILE deploy", "remove MFA_DEVICE arn:aws:iam::123456789012:mfa/deploy",
        "remove INLINE_POLICY ops-inline", "remove INLINE_POLICY default", "DeleteUser");
  }

  @Test
  void aRefusedStepIsReportedWithWhyAndKeepsTheDenyPolicyAndTheUser() {
    attach(UserAttachment.INLINE_POLICY, DENY);
    attach(UserAttachment.GROUP, "ops");
    attach(UserAttachment.LOGIN_PROFILE, "deploy");
    iam.refused = Set.of(UserAttachment.GROUP);

    List<String> left = teardown.run(user);
    assertThat(left).singleElement().asString().startsWith("group ops (IAM remove GROUP failed: AccessDenied")
        .contains("AllowRemoveFromGroups=true");
    // everything else went; the deny-all policy and the user stay; GetUser said the user is still there
    assertThat(iam.attached.get(UserAttachment.LOGIN_PROFILE)).isEmpty();
    assertThat(iam.attached.get(UserAttachment.INLINE_POLICY)).containsExactly(DENY);
    assertThat(iam.user).isNotNull();
    assertThat(iam.log).contains("GetUser").doesNotContain("DeleteUser");

    // once allowed, the same call finishes the job
    iam.refused = Set.of();
    assertThat(teardown.run(user)).isEmpty();
    assertThat(iam.user).isNull();
  }

  @Test
  void anAccessDeniedForAUserThatIsGoneMeansDone() {
    attach(UserAttachment.INLINE_POLICY, DENY);
    iam.user = null; // deleted meanwhile (an earlier attempt, or someone else)

    assertThat(teardown.run(user)).isEmpty();
    assertThat(iam.log).containsExactly("GetUser");
  }

  @Test
  void aUserOfTheSameNameButAnotherIdIsNotOursToTouch() {
    iam.user = new IamUser("deploy", "AIDAOTHER", user.arn(), Map.of(), null);
    iam.refused = Set.of(UserAttachment.values());
    attach(UserAttachment.GROUP, "ops");

    assertThat(teardown.run(user)).isEmpty();
    assertThat(iam.attached.get(UserAttachment.GROUP)).containsExactly("ops");
  }

  @Test
  void aDeleteConflictAfterTheDenyPolicyWentPutsItBack() {
    attach(UserAttachment.INLINE_POLICY, DENY);
    iam.conflict = true;

    assertThat(teardown.run(user)).singleElement().asString().contains("DeleteConflict");
    assertThat(iam.attached.get(UserAttachment.INLINE_POLICY)).containsExactly(DENY);
    assertThat(iam.log).endsWith("remove INLINE_POLICY default", "put default");
  }

  @Test
  void retryableErrorsAreLeftToTheReconcilersBackoff() {
    IamUsers throttled = new InMemoryIamUsers() {
      @Override
      public List<String> attachments(String userName, UserAttachment kind) {
        throw new AwsCallException(Kind.THROTTLED, "Throttling", "IAM list failed: Throttling", null);
      }
    };
    assertThatThrownBy(() -> new UserTeardown(throttled, DENY, TokenIssuer.DENY_ALL).run(user))
        .isInstanceOf(AwsCallException.class).hasMessageContaining("Throttling");
  }
}
