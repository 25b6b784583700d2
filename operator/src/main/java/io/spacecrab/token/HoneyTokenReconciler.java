package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.retry.RetryExecution;
import io.spacecrab.api.Conditions;
import io.spacecrab.backoff.Backoff;
import io.spacecrab.backoff.BackoffRetry;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.DeletionPolicy;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import io.spacecrab.aws.AccessKeyLastUse;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.StatusUpdate;
import io.spacecrab.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per HoneyToken: validate, issue (IAM user, deny-all policy, one key, registry record), write the
 * Secret, report status; re-check for drift every recheck interval; clean up on delete.
 *
 * <p>Nothing on the Secret points back at the token (no ownerReference, no annotation): the token
 * finds its Secret through {@code spec.secret} and knows it as its own by the uid it recorded in
 * {@code status.secretUid} when it created it, or, after a crash before that status write, by the
 * operator's label together with the token's own access key id in the data.
 */
@ControllerConfiguration(name = "honeytoken", finalizerName = SpaceCrab.FINALIZER)
public class HoneyTokenReconciler implements Reconciler<HoneyToken>, Cleaner<HoneyToken> {
  private static final Logger log = LoggerFactory.getLogger(HoneyTokenReconciler.class);
  /** Index of the token cache: the namespace/name of the Secret each token asks for. */
  private static final String TARGET_INDEX = "secret-target";

  private final TokenIssuer issuer;
  private final KubernetesClient client;
  private final EventRecorder events;
  private final OperatorConfig config;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final CreationPacer pacer;
  private final Map<String, Instant> nextIamCheck = new ConcurrentHashMap<>();
  /** Per token uid, the last key this process issued and wrote, with its generation and Secret uid. */
  private final Map<String, LastWrite> lastWrites = new ConcurrentHashMap<>();
  /** Per token uid, the backoff of a cleanup IAM refuses for now, and the last blocked message reported. */
  private final Map<String, RetryExecution> cleanupRetries = new ConcurrentHashMap<>();
  private final Map<String, String> blockedReported = new ConcurrentHashMap<>();
  private static final BackoffRetry CLEANUP_RETRY = new BackoffRetry(new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(5)));
  private IndexerResourceCache<HoneyToken> tokens;
  private InformerEventSource<Secret, HoneyToken> secrets;

  private record LastWrite(long generation, String accessKeyId, String secretUid) {}

  /** IAM's record of a use of the token's key, not yet decided on (its grace period may still run). */
  private record PendingUse(String userName, String accessKeyId, AccessKeyLastUse use) {}

  private final UnloggedUseAlerts unlogged;
  /** Per token uid, the last uses IAM reported that are not yet decided on, oldest first. */
  private final Map<String, List<PendingUse>> pendingUses = new ConcurrentHashMap<>();
  /** Per token uid, the latest last-use time decided on (covered by CloudTrail, or alerted). */
  private final Map<String, Instant> decidedUses = new ConcurrentHashMap<>();
  /** At most this many undecided uses are kept per token (IAM shows only the latest at each re-check). */
  private static final int MAX_PENDING_USES = 8;
  /** The wait before deciding again on a use whose decision failed (the API server could not be reached). */
  private static final Duration USE_RETRY = Duration.ofSeconds(30);

  public HoneyTokenReconciler(TokenIssuer issuer, KubernetesClient client, EventRecorder events,
      OperatorConfig config, Clock clock, OperatorMetrics metrics) {
    this.issuer = issuer;
    this.metrics = metrics;
    this.client = client;
    this.events = events;
    this.config = config;
    this.clock = clock;
    this.unlogged = new UnloggedUseAlerts(client, config.alertNamespace(), config.trailGrace(), config.clusterId(),
        events);
    this.pacer = new CreationPacer(config.creationBurst(), config.creationWindow(), config.creationSpacing(), clock,
        () -> ThreadLocalRandom.current().nextDouble());
  }

  @Override
  public List<EventSource<?, HoneyToken>> prepareEventSources(EventSourceContext<HoneyToken> context) {
    tokens = context.getPrimaryCache();
    tokens.addIndexers(Map.of(TARGET_INDEX, token -> {
      SecretLocation target = SecretLocation.of(token);
      return target == null ? List.of() : List.of(target.key());
    }));
    // a Secret maps to the tokens that ask for it (the informer sees only Secrets with our label)
    var builder = InformerEventSourceConfiguration.from(Secret.class, HoneyToken.class)
        .withLabelSelector(config.secretLabelKey() + "=" + config.secretLabelValue())
        .withSecondaryToPrimaryMapper(secret -> tokens.byIndex(TARGET_INDEX, SecretLocation.of(secret).key())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()));
    if (config.watchesAllNamespaces()) {
      builder.withWatchAllNamespaces();
    } else {
      builder.withNamespaces(config.watchNamespaces());
    }
    secrets = new InformerEventSource<>(builder.build(), context);
    return List.of(secrets);
  }

  @Override
  public UpdateControl<HoneyToken> reconcile(HoneyToken token, Context<HoneyToken> context) {
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(token.getStatus(), HoneyTokenStatus::new);
    List<String> problems = problems(token);
    if (!problems.isEmpty()) {
      return notReady(token, update, "InvalidSpec", "The spec is invalid: " + String.join("; ", problems) + ".",
          null);
    }
    SecretLocation target = SecretLocation.of(token);
    Instant expiresAt = expiresAt(token);
    if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
      Cleanup cleanup = issuer.retire(token, false);
      if (!cleanup.done()) {
        return notReady(token, update, "CleanupBlocked", cleanup.message(), Duration.ofMillis(cleanupDelay(token)));
      }
      cleanupRetries.remove(token.getMetadata().getUid());
      deleteSecrets(token);
      HoneyTokenStatus status = status(token);
      status.setAccessKeyId(null);
      status.setSecretName(null);
      status.setSecretNamespace(null);
      status.setSecretUid(null);
      return notReady(token, update, "Expired", "The token expired at " + expiresAt
          + "; its key, IAM user and Secret were deleted.", null);
    }
    Duration untilIamCheck = untilIamCheck(token, target);
    if (!untilIamCheck.isZero() && !untilIamCheck.isNegative()) {
      // Ready for this generation with its Secret in place: IAM is re-checked only when due, so a
      // restart (every token reconciled at once) makes no per-token IAM calls; an expiry comes first
      metrics.token(token.getMetadata().getUid(), true);
      Duration untilExpiry = expiresAt == null ? null : Duration.between(clock.instant(), expiresAt).plusMillis(100);
      Duration untilUse = decideUses(token);
      return update.control(token).rescheduleAfter(earliest(earliest(untilIamCheck, untilExpiry), untilUse));
    }
    if (waitingForFreeUser(token)) {
      // Its last attempt found no IAM user of its own and the account full, and only this token
      // creates its user: while the account stays full the answer cannot change, so IAM is not
      // asked again (a restart would otherwise make one GetUser per waiting token).
      metrics.token(token.getMetadata().getUid(), false);
      return UpdateControl.<HoneyToken>noUpdate().rescheduleAfter(recheckDelay());
    }
    if (needsNewUser(token) && namespaceFull(token)) {
      return notReady(token, update, "NamespaceQuotaExceeded", "The HoneyTokens of namespace "
          + token.getMetadata().getNamespace() + " already hold " + config.maxTokensPerNamespace()
          + " IAM users, the most one namespace may (--max-tokens-per-namespace); no user was created.",
          recheckDelay());
    }
    Duration untilSlot = needsNewUser(token) ? pacer.waitFor(token.getMetadata().getUid()) : Duration.ZERO;
    if (!untilSlot.isZero()) {
      // a rollout's users are spread out: an IAM reader sees them appear one by one, not fifty at once
      setReady(token, false, "Scheduled", "The IAM user is created at about "
          + clock.instant().plus(untilSlot).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          + ": new users are spread out over time (--creation-spacing).");
      return update.control(token).rescheduleAfter(untilSlot);
    }
    IssuedToken issued;
    Secret written;
    try {
      // every check that can refuse the Secret comes before the key is issued
      claimFirst(token, target);
      if (!target.namespace().equals(token.getMetadata().getNamespace()) && !namespaceUsable(target.namespace())) {
        throw new TokenFailure("TargetNamespaceMissing", "Namespace " + target.namespace()
            + " does not exist or is being deleted; the Secret is written once it exists.");
      }
      Secret existing = secret(target);
      if (existing != null && !mayBeOurs(existing, token)) {
        throw new TokenFailure("SecretConflict", "Secret " + target + " already exists and was not written by"
            + " this token; it was left untouched.");
      }
      issued = issuer.issue(token);
      if (existing != null && !ours(existing, token, issued.accessKeyId())) {
        throw new TokenFailure("SecretConflict", "Secret " + target + " already exists and holds another key;"
            + " it was left untouched. Delete it to let this token write it.");
      }
      written = writeSecret(token, target, issued, existing);
      removeMovedSecret(token, target);
    } catch (KubernetesClientException e) {
      if (!namespaceTerminating(e)) {
        throw e;
      }
      // the namespace is being deleted and its Secrets may go before its tokens: the token's own
      // deletion comes next (or, for a token in the security namespace, its ClusterHoneyToken
      // deletes it), and its cleanup retires the key
      log.info("namespace {} is being deleted; not writing Secret {} of HoneyToken {}/{}", target.namespace(),
          target, token.getMetadata().getNamespace(), token.getMetadata().getName());
      return UpdateControl.noUpdate();
    } catch (TokenFailure f) {
      return notReady(token, update, f.reason(), f.getMessage(), recheckDelay());
    } catch (AwsCallException e) {
      if (e.retryable() || e.kind() == AwsCallException.Kind.NOT_FOUND) {
        throw e;
      }
      String reason = switch (e.kind()) {
        case ACCESS_DENIED -> "AccessDenied";
        case QUOTA -> "AccountQuotaExceeded";
        default -> "AwsRequestRejected";
      };
      return notReady(token, update, reason, e.getMessage(), recheckDelay());
    }
    pacer.done(token.getMetadata().getUid());
    HoneyTokenStatus status = status(token);
    status.setUserName(issued.userName());
    status.setAccessKeyId(issued.accessKeyId());
    status.setSecretName(target.name());
    status.setSecretNamespace(target.namespace());
    status.setSecretUid(written.getMetadata().getUid());
    status.setIssuedAt(issued.issuedAt() == null ? null : issued.issuedAt().toString());
    reportReady(token, update, issued, "Access key " + issued.accessKeyId() + " of IAM user " + issued.userName()
        + " is in Secret " + target + ".");
    noteUse(token, issued);
    Duration untilUse = decideUses(token);
    Duration next = recheckDelay();
    nextIamCheck.put(token.getMetadata().getUid(), clock.instant().plus(next));
    lastWrites.put(token.getMetadata().getUid(), new LastWrite(token.getMetadata().getGeneration(),
        issued.accessKeyId(), written.getMetadata().getUid()));
    if (expiresAt != null) {
      Duration untilExpiry = Duration.between(clock.instant(), expiresAt);
      next = untilExpiry.compareTo(next) < 0 ? untilExpiry.plusMillis(100) : next;
    }
    return update.control(token).rescheduleAfter(earliest(next, untilUse));
  }

  @Override
  public ErrorStatusUpdateControl<HoneyToken> updateErrorStatus(HoneyToken token, Context<HoneyToken> context,
      Exception e) {
    String reason;
    String message;
    if (e instanceof AwsCallException aws) {
      reason = aws.kind() == AwsCallException.Kind.THROTTLED ? "AwsThrottled" : "AwsUnavailable";
      message = aws.getMessage() + "; retrying with backoff.";
    } else if (e instanceof KubernetesClientException k) {
      reason = "KubernetesApiError";
      message = "A Kubernetes API call failed (HTTP " + k.getCode() + "); retrying with backoff.";
    } else {
      reason = "InternalError";
      message = e.getClass().getSimpleName() + "; retrying with backoff.";
    }
    log.warn("reconcile of {}/{} failed: {}", token.getMetadata().getNamespace(), token.getMetadata().getName(),
        message);
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(token.getStatus(), HoneyTokenStatus::new);
    setReady(token, false, reason, message);
    return update.errorControl(token);
  }

  @Override
  public DeleteControl cleanup(HoneyToken token, Context<HoneyToken> context) {
    String uid = token.getMetadata().getUid();
    nextIamCheck.remove(uid);
    lastWrites.remove(uid);
    pendingUses.remove(uid);
    decidedUses.remove(uid);
    pacer.done(uid);
    boolean retain = token.getSpec() != null && token.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Retain;
    Cleanup cleanup = issuer.retire(token, retain);
    if (!cleanup.done()) {
      // the finalizer stays, so nothing is lost; IAM is asked again with backoff
      reportCleanupBlocked(token, cleanup.message());
      return DeleteControl.noFinalizerRemoval().rescheduleAfter(cleanupDelay(token));
    }
    cleanupRetries.remove(uid);
    blockedReported.remove(uid);
    metrics.tokenGone(uid);
    deleteSecrets(token);
    log.info("cleaned up HoneyToken {}/{} (deletionPolicy {})", token.getMetadata().getNamespace(),
        token.getMetadata().getName(), retain ? "Retain" : "Delete");
    return DeleteControl.defaultDelete();
  }

  /**
   * Ready=True once the key is in its Secret: reason Issued, or, when this re-check found what
   * someone added to the user (policies, groups), DriftRepaired (all of it removed; until the next
   * re-check finds the user clean) or DriftNotRepaired (IAM refused a removal; with a Warning when
   * that changes). The token stays a working trap either way: the deny-all policy is in place.
   */
  private void reportReady(HoneyToken token, StatusUpdate<HoneyTokenStatus> update, IssuedToken issued, String where) {
    Drift drift = issued.drift();
    if (drift.kept().isEmpty() && drift.removed().isEmpty()) {
      setReady(token, true, "Issued", where);
      return;
    }
    String removed = drift.removed().isEmpty() ? ""
        : " Removed what was added to the user outside the operator: " + String.join("; ", drift.removed()) + ".";
    if (drift.kept().isEmpty()) {
      setReady(token, true, "DriftRepaired", where + removed);
      return;
    }
    String message = where + " Added to the user outside the operator and not removed: "
        + String.join("; ", drift.kept()) + "." + removed + " The deny-all policy still holds.";
    setReady(token, true, "DriftNotRepaired", message);
    if (!Objects.equals(readyReason(update.before()), "DriftNotRepaired\n" + message)) {
      events.warning(token, "DriftNotRepaired", message);
    }
  }

  /**
   * Keeps IAM's record of the key's latest use for a decision, unless it is no use of this key (before
   * it was issued, to IAM's precision) or one already decided on or waiting.
   */
  private void noteUse(HoneyToken token, IssuedToken issued) {
    AccessKeyLastUse use = issued.lastUse();
    if (use == null || (issued.issuedAt() != null
        && use.lastUsed().plus(AccessKeyLastUse.PRECISION).isBefore(issued.issuedAt()))) {
      return;
    }
    String uid = token.getMetadata().getUid();
    Instant decided = decidedUses.get(uid);
    if (decided != null && !use.lastUsed().isAfter(decided)) {
      return;
    }
    List<PendingUse> pending = pendingUses.getOrDefault(uid, List.of());
    if (pending.stream().anyMatch(p -> p.use().lastUsed().equals(use.lastUsed()))) {
      return;
    }
    List<PendingUse> next = new ArrayList<>(pending);
    next.add(new PendingUse(issued.userName(), issued.accessKeyId(), use));
    next.sort(java.util.Comparator.comparing(p -> p.use().lastUsed()));
    pendingUses.put(uid, List.copyOf(next.size() > MAX_PENDING_USES
        ? next.subList(next.size() - MAX_PENDING_USES, next.size()) : next));
    log.info("IAM reports a use of access key {} at {}; deciding at {} whether CloudTrail recorded it",
        issued.accessKeyId(), use.lastUsed(), unlogged.dueAt(use));
  }

  /**
   * Decides on every waiting use whose grace period is over (UsedWithoutTrail alert, or covered by a
   * CloudTrail-derived one) and marks the token Triggered for an alerted use; returns how long until
   * the next waiting use is due, null when none waits. Makes no IAM call.
   */
  private Duration decideUses(HoneyToken token) {
    String uid = token.getMetadata().getUid();
    List<PendingUse> pending = pendingUses.get(uid);
    if (pending == null || pending.isEmpty()) {
      return null;
    }
    Instant now = clock.instant();
    List<PendingUse> left = new ArrayList<>();
    Duration wait = null;
    for (PendingUse p : pending) {
      UnloggedUseAlerts.Outcome outcome;
      try {
        outcome = unlogged.decide(token, p.userName(), p.accessKeyId(), p.use(), now);
      } catch (KubernetesClientException e) {
        log.warn("could not decide whether CloudTrail recorded the use of access key {} at {} (HTTP {}); trying again",
            p.accessKeyId(), p.use().lastUsed(), e.getCode());
        left.add(p);
        wait = earliest(wait, USE_RETRY);
        continue;
      }
      switch (outcome) {
        case WAIT -> {
          left.add(p);
          wait = earliest(wait, Duration.between(now, unlogged.dueAt(p.use())).plusMillis(50));
        }
        case COVERED -> {
          decided(uid, p.use().lastUsed());
          metrics.lastUseDecided(OperatorMetrics.LastUseOutcome.covered);
        }
        case RAISED, ALREADY_RAISED -> {
          decided(uid, p.use().lastUsed());
          markTriggered(token, p.use());
          if (outcome == UnloggedUseAlerts.Outcome.RAISED) {
            metrics.lastUseDecided(OperatorMetrics.LastUseOutcome.raised);
          }
        }
      }
    }
    if (left.isEmpty()) {
      pendingUses.remove(uid);
    } else {
      pendingUses.put(uid, List.copyOf(left));
    }
    return wait;
  }

  private void decided(String uid, Instant lastUsed) {
    decidedUses.merge(uid, lastUsed, (a, b) -> a.isAfter(b) ? a : b);
  }

  /** Triggered=True (reason UsedWithoutTrail) and lastTriggeredAt, unless the status names a later use. */
  private void markTriggered(HoneyToken token, AccessKeyLastUse use) {
    HoneyTokenStatus status = status(token);
    Instant previous = io.spacecrab.api.Timestamps.parse(status.getLastTriggeredAt());
    if (previous != null && previous.isAfter(use.lastUsed())) {
      return;
    }
    status.setLastTriggeredAt(use.lastUsed().toString());
    status.setConditions(Conditions.set(status.getConditions(), Conditions.TRIGGERED, true, UnloggedUseAlerts.REASON,
        UnloggedUseAlerts.message(token, use) + " See HoneyTokenAlert " + config.alertNamespace() + "/"
            + UnloggedUseAlerts.alertName(token, use) + ".", token.getMetadata().getGeneration(), clock.instant()));
  }

  /** The sooner of two delays (null is "none"), never negative: a deadline that passed while this reconcile ran is due now. */
  private static Duration earliest(Duration a, Duration b) {
    Duration sooner = a == null ? b : b == null ? a : a.compareTo(b) <= 0 ? a : b;
    return sooner != null && sooner.isNegative() ? Duration.ZERO : sooner;
  }

  /** A token being deleted whose cleanup IAM refuses: Ready=False CleanupBlocked and one Warning per new message. */
  private void reportCleanupBlocked(HoneyToken token, String message) {
    StatusUpdate<HoneyTokenStatus> update = StatusUpdate.of(token.getStatus(), HoneyTokenStatus::new);
    setReady(token, false, "CleanupBlocked", message);
    if (update.changes(token.getStatus())) {
      // JOSDK writes no status after cleanup. A whole-status update with the resourceVersion read: a
      // concurrent write (the detector's Triggered mark) is refused with 409, read again and kept
      StatusUpdate.write(client, token, HoneyTokenStatus::new,
          t -> t.getStatus().setReadyCondition(false, "CleanupBlocked", message, t.getMetadata().getGeneration(),
              clock.instant()));
    }
    String reported = blockedReported.put(token.getMetadata().getUid(), message);
    if (!message.equals(reported) && !Objects.equals(readyReason(update.before()),
        "CleanupBlocked\n" + message)) {
      events.warning(token, "CleanupBlocked", message);
      log.warn("cleanup of HoneyToken {}/{} is blocked: {}", token.getMetadata().getNamespace(),
          token.getMetadata().getName(), message);
    }
  }

  /** The next wait of a blocked cleanup: 1 s doubling to 5 min, with jitter; reset once the cleanup is done. */
  private long cleanupDelay(HoneyToken token) {
    return cleanupRetries.computeIfAbsent(token.getMetadata().getUid(), uid -> CLEANUP_RETRY.initExecution())
        .nextDelay().orElse(Duration.ofMinutes(5).toMillis());
  }

  /** The spec's problems, and where its Secret may go: another namespace only from the security namespace. */
  private List<String> problems(HoneyToken token) {
    List<String> problems = new ArrayList<>(HoneyTokenValidation.problems(token.getSpec()));
    SecretLocation target = SecretLocation.of(token);
    if (target == null || !problems.isEmpty()) {
      return problems;
    }
    String issuedAs = token.getStatus() == null ? null : token.getStatus().getUserName();
    String asked = token.getSpec().getUserName();
    if (issuedAs != null && asked != null && !asked.equals(issuedAs)) {
      problems.add("spec.userName cannot name another IAM user once the token is issued: it was issued as "
          + issuedAs + " (set spec.userName back, or remove it)");
    }
    String home = token.getMetadata().getNamespace();
    if (!target.namespace().equals(home) && !home.equals(config.securityNamespace())) {
      problems.add("spec.secret.namespace may name another namespace only for tokens in the security namespace "
          + config.securityNamespace());
    } else if (!config.watches(target.namespace())) {
      problems.add("spec.secret.namespace " + target.namespace() + " is not one the operator handles"
          + " (--watch-namespaces)");
    }
    return problems;
  }

  /**
   * Refuses the Secret when another live token asked for it first (created earlier; the uid breaks
   * a tie), before any key is issued, so two tokens never race for one Secret.
   */
  private void claimFirst(HoneyToken token, SecretLocation target) {
    String adopts = issuer.adoptedUid(token);
    for (HoneyToken other : tokens.byIndex(TARGET_INDEX, target.key())) {
      if (other.getMetadata().getUid().equals(token.getMetadata().getUid())
          || other.getMetadata().getDeletionTimestamp() != null || other.getMetadata().getUid().equals(adopts)) {
        continue; // itself, one going away, or the earlier child whose key this one takes over
      }
      if (earlier(other, token)) {
        throw new TokenFailure("SecretConflict", "Secret " + target + " is already the Secret of HoneyToken "
            + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()
            + ", which was created first; no key was issued for this token.");
      }
    }
  }

  private boolean claimedByAnother(HoneyToken token, SecretLocation place) {
    return tokens.byIndex(TARGET_INDEX, place.key()).stream().anyMatch(other -> other.getMetadata().getDeletionTimestamp() == null
        && !other.getMetadata().getUid().equals(token.getMetadata().getUid()));
  }

  private static boolean earlier(HoneyToken a, HoneyToken b) {
    String ta = a.getMetadata().getCreationTimestamp();
    String tb = b.getMetadata().getCreationTimestamp();
    int byTime = ta == null || tb == null ? 0 : Instant.parse(ta).compareTo(Instant.parse(tb));
    return byTime != 0 ? byTime < 0 : a.getMetadata().getUid().compareTo(b.getMetadata().getUid()) < 0;
  }

  private boolean namespaceUsable(String name) {
    Namespace namespace = client.namespaces().withName(name).get();
    return namespace != null && namespace.getMetadata().getDeletionTimestamp() == null;
  }

  /**
   * How long until this token's IAM re-check is due; zero when it is due now or when the token is
   * not Ready for its generation with its own Secret (holding the key) in place. A token first seen
   * by this process gets its first re-check at a random point of the interval.
   */
  private Duration untilIamCheck(HoneyToken token, SecretLocation target) {
    if (!readyWithSecret(token, target)) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    Instant due = nextIamCheck.computeIfAbsent(token.getMetadata().getUid(), uid -> now.plusMillis(
        ThreadLocalRandom.current().nextLong(config.recheckInterval().toMillis() + 1)));
    Duration left = Duration.between(now, due);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /**
   * The token's namespace (not the security namespace) already holds as many tokens with an IAM user
   * as one namespace may: a tenant allowed to create HoneyTokens cannot use up the account's users.
   */
  private boolean namespaceFull(HoneyToken token) {
    String namespace = token.getMetadata().getNamespace();
    if (namespace.equals(config.securityNamespace())) {
      return false;
    }
    long holding = tokens.list(namespace).filter(t -> t.getStatus() != null && t.getStatus().getAccessKeyId() != null
        && !t.getMetadata().getUid().equals(token.getMetadata().getUid())).count();
    return holding >= config.maxTokensPerNamespace();
  }

  /** The token has no IAM user yet: issuing it creates one. */
  private static boolean needsNewUser(HoneyToken token) {
    return token.getStatus() == null || token.getStatus().getUserName() == null;
  }

  /** Not Ready for this generation with reason AccountQuotaExceeded, and the account is still full. */
  private boolean waitingForFreeUser(HoneyToken token) {
    HoneyTokenStatus status = token.getStatus();
    return status != null && Objects.equals(status.getObservedGeneration(), token.getMetadata().getGeneration())
        && Conditions.find(status.getConditions(), Conditions.READY)
            .map(c -> "False".equals(c.getStatus()) && "AccountQuotaExceeded".equals(c.getReason())).orElse(false)
        && issuer.userQuotaFull();
  }

  /**
   * Ready for this generation, with the Secret it created (same uid) at the spec's location holding
   * the key. Key and uid come from the status, or from what this process last wrote for this
   * generation: the informer may still hold the token as it was before our own status write (a
   * Secret event right after issuing reconciles it again), and a stale copy must not cost a second
   * round of IAM calls and a second status write.
   */
  private boolean readyWithSecret(HoneyToken token, SecretLocation target) {
    HoneyTokenStatus status = token.getStatus();
    long generation = token.getMetadata().getGeneration() == null ? 0 : token.getMetadata().getGeneration();
    boolean ready = status != null && status.getAccessKeyId() != null && status.getSecretUid() != null
        && Objects.equals(status.getObservedGeneration(), generation)
        && target.equals(SecretLocation.written(token))
        && Conditions.find(status.getConditions(), Conditions.READY)
            .map(c -> "True".equals(c.getStatus())).orElse(false);
    String keyId = ready ? status.getAccessKeyId() : null;
    String secretUid = ready ? status.getSecretUid() : null;
    LastWrite last = lastWrites.get(token.getMetadata().getUid());
    if (keyId == null && last != null && last.generation() == generation) {
      keyId = last.accessKeyId();
      secretUid = last.secretUid();
    }
    if (keyId == null) {
      return false;
    }
    Secret secret = secret(target);
    return secret != null && secret.getMetadata().getUid().equals(secretUid) && holdsKey(secret, keyId);
  }

  /** The Secret at this location: from the informer cache when it has it, else read live (it may be someone else's). */
  private Secret secret(SecretLocation location) {
    Secret cached = secrets.get(new ResourceID(location.name(), location.namespace())).orElse(null);
    return cached != null ? cached : client.secrets().inNamespace(location.namespace()).withName(location.name()).get();
  }

  /**
   * Before issuing: the Secret could be this token's. The one it created (the uid in its status)
   * is, whatever was done to it; another without the operator's label never is; another with it
   * is, unless the token recorded a Secret there before and this one does not hold the token's key
   * (someone replaced it).
   */
  private boolean mayBeOurs(Secret secret, HoneyToken token) {
    HoneyTokenStatus status = token.getStatus();
    boolean recordedHere = status != null && status.getSecretUid() != null
        && SecretLocation.of(secret).equals(SecretLocation.written(token));
    if (recordedHere && status.getSecretUid().equals(secret.getMetadata().getUid())) {
      return true;
    }
    if (!labelled(secret)) {
      return false;
    }
    return !recordedHere || (status.getAccessKeyId() != null && holdsKey(secret, status.getAccessKeyId()));
  }

  /** This token's Secret: the uid it recorded, or (a crash before that record) the label and the token's own key. */
  private boolean ours(Secret secret, HoneyToken token, String accessKeyId) {
    HoneyTokenStatus status = token.getStatus();
    boolean recorded = status != null && secret.getMetadata().getUid().equals(status.getSecretUid());
    return recorded || (labelled(secret) && accessKeyId != null && holdsKey(secret, accessKeyId));
  }

  private static boolean holdsKey(Secret secret, String accessKeyId) {
    return secret.getData() != null && secret.getData().values().stream().anyMatch(v -> decodes(v).contains(accessKeyId));
  }

  private static String decodes(String base64) {
    try {
      return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** Writes the key into the Secret unless it already holds exactly that; returns the Secret as stored. */
  private Secret writeSecret(HoneyToken token, SecretLocation target, IssuedToken issued, Secret existing) {
    Map<String, String> data = CredentialsSecret.data(token.getSpec().getSecret(), issued.accessKeyId(),
        issued.secretAccessKey());
    if (existing != null && data.equals(existing.getData()) && labelled(existing)
        && (existing.getMetadata().getOwnerReferences() == null || existing.getMetadata().getOwnerReferences().isEmpty())) {
      return existing;
    }
    Secret desired = new SecretBuilder()
        .withNewMetadata()
        .withName(target.name())
        .withNamespace(target.namespace())
        .withLabels(Map.of(config.secretLabelKey(), config.secretLabelValue()))
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
    Secret written;
    if (existing == null) {
      written = client.secrets().inNamespace(target.namespace()).resource(desired).create();
      // a new key's first Secret needs no Event of its own (KeyIssued says it; one Event per new
      // token keeps a rollout's API writes down); a known key written again means the Secret was deleted
      if (token.getStatus() != null && issued.accessKeyId().equals(token.getStatus().getAccessKeyId())
          && target.equals(SecretLocation.written(token))) {
        events.warning(token, "SecretRestored", "Secret " + target + " had been deleted; the token's access key"
            + " was written back.");
      }
    } else {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      // keep what others put on it (labels, annotations): only our label and the data are ours
      Map<String, String> labels = new java.util.HashMap<>(
          existing.getMetadata().getLabels() == null ? Map.of() : existing.getMetadata().getLabels());
      labels.put(config.secretLabelKey(), config.secretLabelValue());
      desired.getMetadata().setLabels(labels);
      desired.getMetadata().setAnnotations(existing.getMetadata().getAnnotations());
      written = client.secrets().inNamespace(target.namespace()).resource(desired).update();
      // one reason per cause: a new key (the old one was replaced), or someone changed the Secret
      String before = token.getStatus() == null ? null : token.getStatus().getAccessKeyId();
      if (data.equals(existing.getData())) {
        log.info("Secret {}: label or references brought in line", target);
      } else if (before != null && !before.equals(issued.accessKeyId())) {
        events.normal(token, "SecretUpdated", "Secret " + target + " now holds the token's new access key.");
      } else {
        events.warning(token, "SecretRestored", "Secret " + target + " had been changed; the token's access key"
            + " was written back.");
      }
    }
    log.info("wrote Secret {} with access key {}", target, issued.accessKeyId());
    return written;
  }

  /** After spec.secret changed: the Secret the token wrote before goes (if it is still the one it wrote). */
  private void removeMovedSecret(HoneyToken token, SecretLocation target) {
    SecretLocation previous = SecretLocation.written(token);
    if (previous == null || previous.equals(target)) {
      return;
    }
    Secret old = client.secrets().inNamespace(previous.namespace()).withName(previous.name()).get();
    if (old != null && old.getMetadata().getUid().equals(token.getStatus().getSecretUid())) {
      client.secrets().inNamespace(previous.namespace()).resource(old).delete();
      events.normal(token, "SecretMoved", "The key moved from Secret " + previous + " to Secret " + target
          + "; the old Secret was deleted.");
      log.info("moved the key of HoneyToken {}/{} from Secret {} to {}", token.getMetadata().getNamespace(),
          token.getMetadata().getName(), previous, target);
    }
  }

  /** Deletes the token's Secrets: where the spec points and where the status says it wrote, each only if ours. */
  private void deleteSecrets(HoneyToken token) {
    String keyId = token.getStatus() == null ? null : token.getStatus().getAccessKeyId();
    java.util.Set<SecretLocation> places = new java.util.LinkedHashSet<>();
    if (SecretLocation.of(token) != null) {
      places.add(SecretLocation.of(token));
    }
    if (SecretLocation.written(token) != null) {
      places.add(SecretLocation.written(token));
    }
    for (SecretLocation place : places) {
      if (claimedByAnother(token, place)) {
        continue; // another live token asks for it (e.g. one that took this token's key over): it is theirs
      }
      Secret existing = client.secrets().inNamespace(place.namespace()).withName(place.name()).get();
      if (existing != null && ours(existing, token, keyId)) {
        client.secrets().inNamespace(place.namespace()).resource(existing).delete();
      }
    }
  }

  /** The API server refused to create an object because its namespace is being deleted. */
  static boolean namespaceTerminating(KubernetesClientException e) {
    var status = e.getStatus();
    return e.getCode() == 403 && status != null && status.getDetails() != null
        && status.getDetails().getCauses() != null
        && status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
  }

  private boolean labelled(Secret secret) {
    var labels = secret.getMetadata().getLabels();
    return labels != null && config.secretLabelValue().equals(labels.get(config.secretLabelKey()));
  }

  private UpdateControl<HoneyToken> notReady(HoneyToken token, StatusUpdate<HoneyTokenStatus> update, String reason,
      String message, Duration recheck) {
    setReady(token, false, reason, message);
    boolean changed = !Objects.equals(readyReason(update.before()), reason + "\n" + message);
    if (changed) {
      events.warning(token, reason, message);
      log.warn("HoneyToken {}/{} is not ready: {}: {}", token.getMetadata().getNamespace(),
          token.getMetadata().getName(), reason, message);
    }
    UpdateControl<HoneyToken> control = update.control(token);
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  private static String readyReason(HoneyTokenStatus status) {
    return Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> c.getReason() + "\n" + c.getMessage()).orElse(null);
  }

  private void setReady(HoneyToken token, boolean ready, String reason, String message) {
    metrics.token(token.getMetadata().getUid(), ready);
    status(token).setReadyCondition(ready, reason, message, token.getMetadata().getGeneration(), clock.instant());
  }

  private Duration recheckDelay() {
    long base = config.recheckInterval().toMillis();
    // spread re-checks over the interval so that a restart does not make them all at once
    return Duration.ofMillis(base - ThreadLocalRandom.current().nextLong(base / 4 + 1));
  }

  private static Instant expiresAt(HoneyToken token) {
    String text = token.getSpec().getExpiresAt();
    return text == null ? null : OffsetDateTime.parse(text).toInstant();
  }

  private static HoneyTokenStatus status(HoneyToken token) {
    if (token.getStatus() == null) {
      token.setStatus(new HoneyTokenStatus());
    }
    return token.getStatus();
  }
}
