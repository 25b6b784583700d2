package io.spacecrab.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
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
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.DeletionPolicy;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per HoneyToken: validate, issue (IAM user, deny-all policy, one key, registry record), write the
 * Secret, report status; re-check for drift every recheck interval; clean up on delete.
 */
@ControllerConfiguration(name = "honeytoken", finalizerName = SpaceCrab.FINALIZER)
public class HoneyTokenReconciler implements Reconciler<HoneyToken>, Cleaner<HoneyToken> {
  private static final Logger log = LoggerFactory.getLogger(HoneyTokenReconciler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final TokenIssuer issuer;
  private final KubernetesClient client;
  private final EventRecorder events;
  private final OperatorConfig config;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final java.util.Map<String, Instant> nextIamCheck = new java.util.concurrent.ConcurrentHashMap<>();
  /** Per token uid, "generation:accessKeyId" of the last key this process issued and wrote to the Secret. */
  private final java.util.Map<String, String> lastIssued = new java.util.concurrent.ConcurrentHashMap<>();

  public HoneyTokenReconciler(TokenIssuer issuer, KubernetesClient client, EventRecorder events,
      OperatorConfig config, Clock clock, OperatorMetrics metrics) {
    this.issuer = issuer;
    this.metrics = metrics;
    this.client = client;
    this.events = events;
    this.config = config;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, HoneyToken>> prepareEventSources(EventSourceContext<HoneyToken> context) {
    var secrets = InformerEventSourceConfiguration.from(Secret.class, HoneyToken.class)
        .withLabelSelector(config.secretLabelKey() + "=" + config.secretLabelValue())
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(HoneyToken.class))
        .build();
    return List.of(new InformerEventSource<>(secrets, context));
  }

  @Override
  public UpdateControl<HoneyToken> reconcile(HoneyToken token, Context<HoneyToken> context) {
    HoneyTokenStatus before = copy(token.getStatus());
    List<String> problems = HoneyTokenValidation.problems(token.getSpec());
    if (!problems.isEmpty()) {
      return notReady(token, before, "InvalidSpec", "The spec is invalid: " + String.join("; ", problems) + ".",
          null);
    }
    Instant expiresAt = expiresAt(token);
    if (expiresAt != null && !clock.instant().isBefore(expiresAt)) {
      issuer.retire(token, false);
      deleteSecret(token);
      HoneyTokenStatus status = status(token);
      status.setAccessKeyId(null);
      status.setSecretName(null);
      return notReady(token, before, "Expired", "The token expired at " + expiresAt
          + "; its key, IAM user and Secret were deleted.", null);
    }
    Duration untilIamCheck = expiresAt == null ? untilIamCheck(token, context) : Duration.ZERO;
    if (!untilIamCheck.isZero() && !untilIamCheck.isNegative()) {
      // Ready for this generation with its Secret in place: IAM is re-checked only when due, so a
      // restart (every token reconciled at once) makes no per-token IAM calls
      metrics.token(token.getMetadata().getUid(), true);
      return UpdateControl.<HoneyToken>noUpdate().rescheduleAfter(untilIamCheck);
    }
    if (waitingForFreeUser(token)) {
      // Its last attempt found no IAM user of its own and the account full, and only this token
      // creates its user: while the account stays full the answer cannot change, so IAM is not
      // asked again (a restart would otherwise make one GetUser per waiting token).
      metrics.token(token.getMetadata().getUid(), false);
      return UpdateControl.<HoneyToken>noUpdate().rescheduleAfter(recheckDelay());
    }
    IssuedToken issued;
    try {
      Secret existing = currentSecret(token, context);
      if (existing != null && !ownedBy(existing, token)) {
        throw new TokenFailure("SecretConflict", "Secret " + existing.getMetadata().getName()
            + " already exists and was not written by this token; it was left untouched.");
      }
      issued = issuer.issue(token);
      writeSecret(token, issued, existing);
    } catch (KubernetesClientException e) {
      if (!namespaceTerminating(e)) {
        throw e;
      }
      // the namespace is being deleted and its Secrets may go before its tokens: the token's own
      // deletion comes next, and its cleanup retires the key
      log.info("namespace {} is being deleted; not writing Secret {} of HoneyToken {}",
          token.getMetadata().getNamespace(), token.getSpec().getSecret().getName(), token.getMetadata().getName());
      return UpdateControl.noUpdate();
    } catch (TokenFailure f) {
      return notReady(token, before, f.reason(), f.getMessage(), recheckDelay());
    } catch (AwsCallException e) {
      if (e.retryable() || e.kind() == AwsCallException.Kind.NOT_FOUND) {
        throw e;
      }
      String reason = switch (e.kind()) {
        case ACCESS_DENIED -> "AccessDenied";
        case QUOTA -> "AccountQuotaExceeded";
        default -> "AwsRequestRejected";
      };
      return notReady(token, before, reason, e.getMessage(), recheckDelay());
    }
    HoneyTokenStatus status = status(token);
    status.setUserName(issued.userName());
    status.setAccessKeyId(issued.accessKeyId());
    status.setSecretName(token.getSpec().getSecret().getName());
    status.setIssuedAt(issued.issuedAt() == null ? null : issued.issuedAt().toString());
    setReady(token, true, "Issued", "Access key " + issued.accessKeyId() + " of IAM user " + issued.userName()
        + " is in Secret " + token.getSpec().getSecret().getName() + ".");
    Duration next = recheckDelay();
    nextIamCheck.put(token.getMetadata().getUid(), clock.instant().plus(next));
    lastIssued.put(token.getMetadata().getUid(), token.getMetadata().getGeneration() + ":" + issued.accessKeyId());
    if (expiresAt != null) {
      Duration untilExpiry = Duration.between(clock.instant(), expiresAt);
      next = untilExpiry.compareTo(next) < 0 ? untilExpiry.plusMillis(100) : next;
    }
    return finish(token, before).rescheduleAfter(next);
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
    HoneyTokenStatus before = copy(token.getStatus());
    setReady(token, false, reason, message);
    return sameStatus(before, token.getStatus())
        ? ErrorStatusUpdateControl.defaultErrorProcessing()
        : ErrorStatusUpdateControl.patchStatus(token);
  }

  /**
   * How long until this token's IAM re-check is due; zero when it is due now or when the token is
   * not Ready for its generation with its Secret (owned, holding the status's key id) in the cache.
   * A token first seen by this process gets its first re-check at a random point of the interval.
   */
  private Duration untilIamCheck(HoneyToken token, Context<HoneyToken> context) {
    if (!readyWithSecret(token, context)) {
      return Duration.ZERO;
    }
    Instant now = clock.instant();
    Instant due = nextIamCheck.computeIfAbsent(token.getMetadata().getUid(), uid -> now.plusMillis(
        ThreadLocalRandom.current().nextLong(config.recheckInterval().toMillis() + 1)));
    Duration left = Duration.between(now, due);
    return left.isNegative() ? Duration.ZERO : left;
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
   * Ready for this generation, with the Secret holding the key. The key comes from the status, or
   * from what this process last issued for this generation: the informer may still hold the token
   * as it was before our own status write (a Secret event right after issuing reconciles it
   * again), and a stale copy must not cost a second round of IAM calls and a second status write.
   * The Secret is read live when the informer does not have it yet.
   */
  private boolean readyWithSecret(HoneyToken token, Context<HoneyToken> context) {
    HoneyTokenStatus status = token.getStatus();
    Long generation = token.getMetadata().getGeneration();
    boolean ready = status != null && status.getAccessKeyId() != null
        && Objects.equals(status.getObservedGeneration(), generation)
        && Conditions.find(status.getConditions(), Conditions.READY)
            .map(c -> "True".equals(c.getStatus())).orElse(false);
    String keyId = ready ? status.getAccessKeyId() : null;
    String issued = lastIssued.get(token.getMetadata().getUid());
    if (keyId == null && issued != null && issued.startsWith(generation + ":")) {
      keyId = issued.substring(issued.indexOf(':') + 1);
    }
    if (keyId == null) {
      return false;
    }
    String secretName = token.getSpec().getSecret().getName();
    Secret secret = context.getSecondaryResource(Secret.class)
        .filter(s -> s.getMetadata().getName().equals(secretName)).orElse(null);
    if (secret == null) {
      secret = client.secrets().inNamespace(token.getMetadata().getNamespace()).withName(secretName).get();
    }
    String key = keyId;
    return secret != null && ownedBy(secret, token) && secret.getData() != null
        && secret.getData().values().stream().anyMatch(v -> decodes(v).contains(key));
  }

  private static String decodes(String base64) {
    try {
      return new String(java.util.Base64.getDecoder().decode(base64), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  @Override
  public DeleteControl cleanup(HoneyToken token, Context<HoneyToken> context) {
    nextIamCheck.remove(token.getMetadata().getUid());
    lastIssued.remove(token.getMetadata().getUid());
    metrics.tokenGone(token.getMetadata().getUid());
    boolean retain = token.getSpec() != null && token.getSpec().effectiveDeletionPolicy() == DeletionPolicy.Retain;
    issuer.retire(token, retain);
    deleteSecret(token);
    log.info("cleaned up HoneyToken {}/{} (deletionPolicy {})", token.getMetadata().getNamespace(),
        token.getMetadata().getName(), retain ? "Retain" : "Delete");
    return DeleteControl.defaultDelete();
  }

  /** The target Secret: from the informer cache when it has it, else read live (it may be someone else's). */
  private Secret currentSecret(HoneyToken token, Context<HoneyToken> context) {
    String name = token.getSpec().getSecret().getName();
    Secret cached = context.getSecondaryResource(Secret.class)
        .filter(s -> name.equals(s.getMetadata().getName())).orElse(null);
    return cached != null ? cached
        : client.secrets().inNamespace(token.getMetadata().getNamespace()).withName(name).get();
  }

  private void writeSecret(HoneyToken token, IssuedToken issued, Secret existing) {
    String namespace = token.getMetadata().getNamespace();
    String name = token.getSpec().getSecret().getName();
    Map<String, String> data = CredentialsSecret.data(token.getSpec().getSecret(), issued.accessKeyId(),
        issued.secretAccessKey());
    if (existing != null && data.equals(existing.getData()) && labelled(existing)) {
      return;
    }
    Secret desired = new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(config.secretLabelKey(), config.secretLabelValue()))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(token.getApiVersion())
            .withKind(token.getKind()).withName(token.getMetadata().getName()).withUid(token.getMetadata().getUid())
            .withController(true).withBlockOwnerDeletion(false).build())
        .endMetadata()
        .withType("Opaque")
        .withData(data)
        .build();
    if (existing == null) {
      client.secrets().inNamespace(namespace).resource(desired).create();
      // a new key's first Secret needs no Event of its own (KeyIssued says it; one Event per new
      // token keeps a rollout's API writes down); a known key written again means the Secret was deleted
      if (token.getStatus() != null && issued.accessKeyId().equals(token.getStatus().getAccessKeyId())) {
        events.warning(token, "SecretRestored", "Secret " + name + " had been deleted; access key "
            + issued.accessKeyId() + " was written back.");
      }
    } else {
      desired.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
      client.secrets().inNamespace(namespace).resource(desired).update();
      events.warning(token, "SecretRestored", "Secret " + name + " had been changed; access key "
          + issued.accessKeyId() + " was written back.");
    }
    log.info("wrote Secret {}/{} with access key {}", namespace, name, issued.accessKeyId());
  }

  private void deleteSecret(HoneyToken token) {
    if (token.getSpec() == null || token.getSpec().getSecret() == null || token.getSpec().getSecret().getName() == null) {
      return;
    }
    String namespace = token.getMetadata().getNamespace();
    Secret existing = client.secrets().inNamespace(namespace).withName(token.getSpec().getSecret().getName()).get();
    if (existing != null && ownedBy(existing, token)) {
      client.secrets().inNamespace(namespace).resource(existing).delete();
    }
  }

  /** The API server refused to create an object because its namespace is being deleted. */
  static boolean namespaceTerminating(KubernetesClientException e) {
    var status = e.getStatus();
    return e.getCode() == 403 && status != null && status.getDetails() != null
        && status.getDetails().getCauses() != null
        && status.getDetails().getCauses().stream().anyMatch(c -> "NamespaceTerminating".equals(c.getReason()));
  }

  private boolean ownedBy(Secret secret, HoneyToken token) {
    return secret.getMetadata().getOwnerReferences() != null && secret.getMetadata().getOwnerReferences().stream()
        .anyMatch(o -> Objects.equals(o.getUid(), token.getMetadata().getUid()));
  }

  private boolean labelled(Secret secret) {
    var labels = secret.getMetadata().getLabels();
    return labels != null && config.secretLabelValue().equals(labels.get(config.secretLabelKey()));
  }

  private UpdateControl<HoneyToken> notReady(HoneyToken token, HoneyTokenStatus before, String reason,
      String message, Duration recheck) {
    setReady(token, false, reason, message);
    boolean changed = !Objects.equals(before == null ? null : readyReason(before), reason + "\n" + message);
    if (changed) {
      events.warning(token, reason, message);
      log.warn("HoneyToken {}/{} is not ready: {}: {}", token.getMetadata().getNamespace(),
          token.getMetadata().getName(), reason, message);
    }
    UpdateControl<HoneyToken> control = finish(token, before);
    return recheck == null ? control : control.rescheduleAfter(recheck);
  }

  private static String readyReason(HoneyTokenStatus status) {
    return Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> c.getReason() + "\n" + c.getMessage()).orElse(null);
  }

  private void setReady(HoneyToken token, boolean ready, String reason, String message) {
    metrics.token(token.getMetadata().getUid(), ready);
    HoneyTokenStatus status = status(token);
    Long generation = token.getMetadata().getGeneration();
    status.setConditions(Conditions.set(status.getConditions(), Conditions.READY, ready, reason, message,
        generation, clock.instant()));
    status.setObservedGeneration(generation);
  }

  private UpdateControl<HoneyToken> finish(HoneyToken token, HoneyTokenStatus before) {
    return sameStatus(before, token.getStatus()) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(token);
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

  private static HoneyTokenStatus copy(HoneyTokenStatus status) {
    return status == null ? null : JSON.convertValue(status, HoneyTokenStatus.class);
  }

  private static boolean sameStatus(HoneyTokenStatus a, HoneyTokenStatus b) {
    return JSON.valueToTree(a == null ? new HoneyTokenStatus() : a)
        .equals(JSON.valueToTree(b == null ? new HoneyTokenStatus() : b));
  }
}
