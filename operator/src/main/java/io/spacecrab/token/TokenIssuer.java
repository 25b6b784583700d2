package io.spacecrab.token;

import static io.spacecrab.aws.UserAttachment.GROUP;
import static io.spacecrab.aws.UserAttachment.INLINE_POLICY;
import static io.spacecrab.aws.UserAttachment.MANAGED_POLICY;

import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.aws.AccessKeyInfo;
import io.spacecrab.aws.AccessKeyLastUse;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.AwsCallException.Kind;
import io.spacecrab.aws.IamUser;
import io.spacecrab.aws.IamUsers;
import io.spacecrab.aws.IssuedKey;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.aws.UserAttachment;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS side of a token: one IAM user that may do nothing, exactly one access key whose secret
 * is sealed into the registry before anything else happens, and tombstones for every key that
 * goes away. Every step is idempotent and finds its own earlier work after a crash (see DESIGN.md).
 */
public class TokenIssuer {
  private static final Logger log = LoggerFactory.getLogger(TokenIssuer.class);
  static final String DENY_ALL = "{\"Version\":\"2012-10-17\",\"Statement\":"
      + "[{\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\"}]}";

  private final IamUsers iam;
  private final TokenRegistry registry;
  private final SecretSeal seal;
  private final OperatorConfig config;
  private final UserNames names;
  private final EventRecorder events;
  private final Clock clock;
  private final UserQuota quota;
  private final UserTeardown teardown;

  /** Generated names try at most this many candidates before the token reports NameConflict. */
  static final int MAX_NAME_ATTEMPTS = 8;

  /** A name part only this operator's seal key gives for the label (see {@link SecretSeal#derive}). */
  public String derive(String label) {
    return seal.derive(label);
  }

  public TokenIssuer(IamUsers iam, TokenRegistry registry, SecretSeal seal, OperatorConfig config,
      EventRecorder events, Clock clock, UserQuota quota, UserNames names) {
    this.quota = quota;
    this.iam = iam;
    this.registry = registry;
    this.seal = seal;
    this.config = config;
    this.names = names;
    this.events = events;
    this.clock = clock;
    this.teardown = new UserTeardown(iam, config.denyPolicyName(), DENY_ALL);
  }

  /** The uid of the earlier child whose user and key this token takes over; null for any other token. */
  public String adoptedUid(HoneyToken token) {
    return names.adoptedUid(token);
  }

  /** True when the account holds as many IAM users as it may (see {@link UserQuota}). */
  public boolean userQuotaFull() {
    return quota.full();
  }

  /** Brings IAM and the registry to: user with deny-all policy, one active known key. */
  public IssuedToken issue(HoneyToken token) {
    String fixed = names.fixed(token);
    int attempts = fixed != null ? 1 : MAX_NAME_ATTEMPTS;
    for (int attempt = 0; attempt < attempts; attempt++) {
      String userName = fixed != null ? fixed : names.generated(token, attempt);
      Optional<IamUser> existing = iam.findUser(userName);
      if (existing.isEmpty()) {
        Optional<IamUser> created = createUser(token, userName);
        if (created.isPresent()) {
          // a user we made a moment ago has its boundary, no policy and no keys: nothing to read back
          // (4 IAM calls for a new token instead of 7; a crash in between leaves a user that the
          // next reconcile finds and checks in full)
          iam.putInlinePolicy(userName, config.denyPolicyName(), DENY_ALL);
          return newKey(token, created.get(), clock.instant());
        }
        // someone made the name first: read it back and check it like any existing user
        existing = Optional.of(iam.findUser(userName).orElseThrow(() -> new AwsCallException(
            Kind.TRANSIENT, null, "IAM user " + userName + " exists but cannot be read yet", null)));
      }
      IamUser user = existing.get();
      List<RegistryRecord> records = registry.findByPrincipalId(user.userId());
      if (isOurs(user, records, token)) {
        ensureBoundary(token, user);
        List<String> inline = iam.attachments(user.name(), INLINE_POLICY);
        ensureDenyPolicy(token, user, inline);
        Drift drift = removeAdded(token, user, inline);
        return ensureSingleKey(token, user, records).withDrift(drift);
      }
      // a generated name someone else holds: the next candidate (the account's names are never reused)
    }
    String name = fixed != null ? fixed : names.generated(token, 0);
    throw new TokenFailure("NameConflict", fixed != null
        ? "IAM user " + name + " already exists and is not managed by this token; it was left untouched."
            + (token.getSpec().getUserName() != null ? " Set spec.userName to another name." : "")
        : "The first " + MAX_NAME_ATTEMPTS + " IAM user names generated for this token are all taken; set"
            + " spec.userName.");
  }

  /**
   * This token's IAM user, if it has one: under its fixed name, or under the first generated name
   * that is free or its own (the one {@link #issue} would have created).
   */
  private Optional<OwnUser> ownUser(HoneyToken token) {
    String fixed = names.fixed(token);
    int attempts = fixed != null ? 1 : MAX_NAME_ATTEMPTS;
    for (int attempt = 0; attempt < attempts; attempt++) {
      Optional<IamUser> found = iam.findUser(fixed != null ? fixed : names.generated(token, attempt));
      if (found.isEmpty()) {
        return Optional.empty();
      }
      List<RegistryRecord> records = registry.findByPrincipalId(found.get().userId());
      if (isOurs(found.get(), records, token)) {
        return Optional.of(new OwnUser(found.get(), records));
      }
    }
    return Optional.empty();
  }

  /**
   * Tombstones the token's records, then (unless {@code keepKey}) removes everything on its user
   * and the user ({@link UserTeardown}). A user that is not ours is never touched. Blocked when IAM
   * refuses a step for good (the user, its deny-all policy and what is left then stay); retryable
   * AWS errors are thrown.
   */
  public Cleanup retire(HoneyToken token, boolean keepKey) {
    Optional<OwnUser> own = ownUser(token);
    if (own.isEmpty()) {
      log.info("no IAM user of HoneyToken {}/{} to clean up (none, or not managed by this token)",
          token.getMetadata().getNamespace(), token.getMetadata().getName());
      return Cleanup.DONE;
    }
    IamUser user = own.get().user();
    String userName = user.name();
    List<AccessKeyInfo> keys;
    boolean gone = false;
    try {
      keys = iam.listAccessKeys(userName);
    } catch (AwsCallException e) {
      if (!teardown.gone(user, e)) {
        throw e;
      }
      // gone since GetUser: its records are retired all the same
      keys = List.of();
      gone = true;
    }
    Instant now = clock.instant();
    RegistryState state = keepKey ? RegistryState.Retained : RegistryState.Retired;
    Instant expireAt = keepKey ? null : now.plus(config.tombstoneRetention());
    for (RegistryRecord record : recordsOf(keys, own.get().records())) {
      if (record.state() == RegistryState.Active || (!keepKey && record.state() == RegistryState.Retained)) {
        registry.put(record.withState(state, null, expireAt));
      }
    }
    if (keepKey) {
      return Cleanup.DONE;
    }
    List<String> left = gone ? List.of() : teardown.run(user);
    if (!left.isEmpty()) {
      log.warn("deleting IAM user {} is blocked: {}", userName, String.join("; ", left));
      return new Cleanup(userName, left);
    }
    quota.release();
    log.info("deleted IAM user {} and everything on it", userName);
    return Cleanup.DONE;
  }

  /** Creates the user; empty when someone else created the name first (the caller reads it back). */
  private Optional<IamUser> createUser(HoneyToken token, String userName) {
    quota.reserve(userName);
    try {
      IamUser created = iam.createUser(userName, config.iamPath(), config.permissionsBoundaryArn(), tags());
      log.info("created IAM user {}", userName);
      return Optional.of(created);
    } catch (AwsCallException e) {
      quota.release();
      if (e.kind() == Kind.ALREADY_EXISTS) {
        return Optional.empty();
      }
      if (e.kind() == Kind.QUOTA) {
        quota.exhausted();
        throw new TokenFailure("AccountQuotaExceeded",
            "IAM refused to create user " + userName + ": the account's user quota is exhausted.");
      }
      throw e;
    }
  }

  private void ensureBoundary(HoneyToken token, IamUser user) {
    String boundary = config.permissionsBoundaryArn();
    if (boundary != null && !boundary.equals(user.boundaryArn())) {
      iam.setPermissionsBoundary(user.name(), boundary);
      events.normal(token, "BoundarySet", "Set the permissions boundary of IAM user " + user.name() + ".");
    }
  }

  private void ensureDenyPolicy(HoneyToken token, IamUser user, List<String> inline) {
    Optional<String> current = inline.contains(config.denyPolicyName())
        ? iam.inlinePolicy(user.name(), config.denyPolicyName()) : Optional.empty();
    if (current.isPresent() && PolicyDocuments.sameDenyAll(current.get())) {
      return;
    }
    iam.putInlinePolicy(user.name(), config.denyPolicyName(), DENY_ALL);
    if (current.isPresent() || hasKeys(user)) {
      events.warning(token, "DenyPolicyRestored",
          "The deny-all policy of IAM user " + user.name() + " was missing or changed; it was put back.");
      log.warn("restored the deny-all policy of IAM user {}", user.name());
    }
  }

  /**
   * Managed policies, groups and inline policies (the deny-all one aside) that someone added to the
   * user: each removed, with one Warning per thing removed (one reason per cause). A removal IAM
   * refuses for good is kept in the result, with why; retryable errors are thrown.
   */
  private Drift removeAdded(HoneyToken token, IamUser user, List<String> inline) {
    Map<UserAttachment, List<String>> added = new LinkedHashMap<>();
    added.put(MANAGED_POLICY, iam.attachments(user.name(), MANAGED_POLICY));
    added.put(GROUP, iam.attachments(user.name(), GROUP));
    added.put(INLINE_POLICY, inline.stream().filter(name -> !name.equals(config.denyPolicyName())).toList());
    List<String> removed = new ArrayList<>();
    List<String> kept = new ArrayList<>();
    added.forEach((kind, ids) -> {
      for (String id : ids) {
        String what = UserTeardown.describe(kind, id);
        try {
          iam.remove(user.name(), kind, id);
        } catch (AwsCallException e) {
          if (e.retryable()) {
            throw e;
          }
          kept.add(what + " (" + e.getMessage() + UserTeardown.hint(kind, e) + ")");
          log.warn("could not remove {} added to IAM user {} outside the operator: {}", what, user.name(),
              e.getMessage());
          continue;
        }
        removed.add(what);
        events.warning(token, switch (kind) {
          case MANAGED_POLICY -> "UnexpectedPolicyDetached";
          case GROUP -> "UnexpectedGroupLeft";
          default -> "UnexpectedPolicyRemoved";
        }, switch (kind) {
          case MANAGED_POLICY -> "Detached managed policy " + id + " from IAM user " + user.name();
          case GROUP -> "Removed IAM user " + user.name() + " from group " + id;
          default -> "Deleted inline policy " + id + " of IAM user " + user.name();
        } + ": it was added outside the operator.");
        log.warn("removed {} added to IAM user {} outside the operator", what, user.name());
      }
    });
    return new Drift(removed, kept);
  }

  private boolean hasKeys(IamUser user) {
    return !iam.listAccessKeys(user.name()).isEmpty();
  }

  private IssuedToken ensureSingleKey(HoneyToken token, IamUser user, List<RegistryRecord> records) {
    List<AccessKeyInfo> keys = iam.listAccessKeys(user.name());
    Known known = findKnownKey(user, keys);
    Instant now = clock.instant();
    for (AccessKeyInfo key : keys) {
      if (known != null && key.accessKeyId().equals(known.record.accessKeyId())) {
        continue;
      }
      iam.deleteAccessKey(user.name(), key.accessKeyId());
      Optional<RegistryRecord> record = registry.get(key.accessKeyId());
      record.ifPresent(r -> tombstone(r, now));
      // one reason per cause: deactivated by someone, recorded but unreadable (the seal key changed), or unknown
      boolean ours = record.isPresent() && record.get().state() == RegistryState.Active
          && Objects.equals(record.get().principalId(), user.userId());
      String reason = !key.active() ? "DeactivatedKeyReplaced" : ours ? "SealKeyChanged" : "UnknownKeyDeleted";
      String why = !key.active() ? "it was deactivated outside the operator"
          : ours ? "its sealed copy in the registry no longer opens (the seal key Secret was replaced)"
          : "it was not known to the operator";
      events.warning(token, reason, "Deleted access key " + key.accessKeyId() + " of IAM user " + user.name()
          + ": " + why + ".");
      log.warn("deleted access key {} of IAM user {}: {}", key.accessKeyId(), user.name(), why);
    }
    // an Active record whose key is no longer in IAM: deleted or deactivated outside the operator
    for (RegistryRecord r : records) {
      boolean inIam = keys.stream().anyMatch(k -> k.accessKeyId().equals(r.accessKeyId()));
      if (r.state() == RegistryState.Active && !inIam) {
        tombstone(r, now);
        events.warning(token, "KeyLost", "Access key " + r.accessKeyId()
            + " was deleted or deactivated outside the operator; a new key replaces it.");
      }
    }
    if (known != null) {
      RegistryRecord wanted = describe(known.record, token);
      if (!wanted.equals(known.record)) {
        registry.put(wanted);
      }
      return new IssuedToken(user.name(), known.record.accessKeyId(), known.secret, known.record.createdAt())
          .withLastUse(lastUse(token, user, known.record.accessKeyId()));
    }
    return newKey(token, user, now);
  }

  /**
   * IAM's record of the key's latest use: the safety net beside CloudTrail (the reconciler decides
   * whether an alert covers it). Null when the key was never used, or when IAM refuses to say for
   * good (a stack without iam:GetAccessKeyLastUsed): that must not cost the token its key, so it is
   * a Warning, not a failure. Retryable errors are thrown like any other read's.
   */
  private AccessKeyLastUse lastUse(HoneyToken token, IamUser user, String accessKeyId) {
    try {
      return iam.accessKeyLastUsed(accessKeyId).orElse(null);
    } catch (AwsCallException e) {
      if (e.retryable()) {
        throw e;
      }
      events.warning(token, "LastUseUnknown", "IAM did not say when access key " + accessKeyId + " of IAM user "
          + user.name() + " was last used (" + e.getMessage() + "); uses CloudTrail does not record go unnoticed.");
      log.warn("could not read the last use of access key {}: {}", accessKeyId, e.getMessage());
      return null;
    }
  }

  /** Creates a key, records it (sealed) in the registry before anyone sees it, and returns it. */
  private IssuedToken newKey(HoneyToken token, IamUser user, Instant now) {
    IssuedKey key = iam.createAccessKey(user.name());
    RegistryRecord record = new RegistryRecord(key.accessKeyId(), user.userId(), user.name(), user.arn(),
        config.clusterId(), token.getMetadata().getNamespace(), token.getMetadata().getName(),
        token.getMetadata().getUid(), null, null, null, now, RegistryState.Active,
        seal.seal(key.accessKeyId(), key.secretAccessKey()), null);
    try {
      registry.put(describe(record, token));
    } catch (AwsCallException e) {
      // Without a registry record nobody would know this key: take it back at once.
      try {
        iam.deleteAccessKey(user.name(), key.accessKeyId());
      } catch (AwsCallException ignored) {
        log.warn("could not delete unrecorded access key {}; the next reconcile deletes it", key.accessKeyId());
      }
      throw e;
    }
    // an Event never pairs a key id with the Secret that holds it
    events.normal(token, "KeyIssued", "Issued access key " + key.accessKeyId() + " for IAM user " + user.name() + ".");
    log.info("issued access key {} for IAM user {}", key.accessKeyId(), user.name());
    return new IssuedToken(user.name(), key.accessKeyId(), key.secretAccessKey(), now);
  }

  /** The active key of this user whose registry record we wrote and whose secret we can open. */
  private Known findKnownKey(IamUser user, List<AccessKeyInfo> keys) {
    for (AccessKeyInfo key : keys) {
      if (!key.active()) {
        continue;
      }
      Optional<RegistryRecord> record = registry.get(key.accessKeyId());
      if (record.isEmpty() || record.get().state() != RegistryState.Active
          || !Objects.equals(record.get().principalId(), user.userId())) {
        continue;
      }
      Optional<String> secret = seal.open(key.accessKeyId(), record.get().sealedSecret());
      if (secret.isPresent()) {
        return new Known(record.get(), secret.get());
      }
      log.warn("the sealed copy of access key {} cannot be opened (seal key changed?); replacing the key",
          key.accessKeyId());
    }
    return null;
  }

  private List<RegistryRecord> recordsOf(List<AccessKeyInfo> keys, List<RegistryRecord> byPrincipal) {
    Map<String, RegistryRecord> records = new LinkedHashMap<>();
    for (AccessKeyInfo key : keys) {
      registry.get(key.accessKeyId()).ifPresent(r -> records.put(r.accessKeyId(), r));
    }
    for (RegistryRecord r : byPrincipal) {
      records.putIfAbsent(r.accessKeyId(), r);
    }
    return List.copyOf(records.values());
  }

  private void tombstone(RegistryRecord record, Instant now) {
    if (record.state() == RegistryState.Active) {
      registry.put(record.withState(RegistryState.Replaced, null, now.plus(config.tombstoneRetention())));
    }
  }

  /** The record as this token describes it: its owner, location and notes, and the token itself. */
  private static RegistryRecord describe(RegistryRecord record, HoneyToken token) {
    HoneyTokenSpec spec = token.getSpec();
    var meta = token.getMetadata();
    return record.withDescription(spec.getOwner(), spec.getLocation(), spec.getNotes())
        .withToken(meta.getNamespace(), meta.getName(), meta.getUid());
  }

  /**
   * A user is this token's when it carries this cluster's ownership tag and no registry record of
   * it belongs to another token. The one tag says "this operator's" to IAM (and to the stack's
   * policy conditions); which token a user serves is bookkeeping kept in the registry, out of an
   * IAM reader's sight. A tagged user without records (a crash before its first key) is adopted:
   * its name was derived from this token, or set in this token's spec.
   */
  boolean isOurs(IamUser user, List<RegistryRecord> records, HoneyToken token) {
    if (!config.ownershipTagValue().equals(user.tags().get(config.ownershipTagKey()))) {
      return false;
    }
    String uid = token.getMetadata().getUid();
    String adopted = names.adoptedUid(token);
    return records.stream().allMatch(r -> uid.equals(r.uid()) || (adopted != null && adopted.equals(r.uid())));
  }

  private Map<String, String> tags() {
    return Map.of(config.ownershipTagKey(), config.ownershipTagValue());
  }

  private record Known(RegistryRecord record, String secret) {}

  /** A token's own IAM user and the registry records of it. */
  private record OwnUser(IamUser user, List<RegistryRecord> records) {}
}
