package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.IntakePath;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.api.v1alpha1.PathSighting;
import io.spacecrab.api.v1alpha1.PipelineHealth;
import io.spacecrab.api.v1alpha1.PipelineHealthStatus;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.aws.CallerIdentity;
import io.spacecrab.backoff.Backoff;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.PipelineHealthStore;
import io.spacecrab.kube.StatusUpdate;
import io.spacecrab.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The end-to-end self-test. Every {@code --self-test-interval} the operator uses its own self-test
 * key (an IAM user and key made by {@link TokenIssuer} like any token's, registered under
 * {@link SpaceCrab#SELF_TEST_UID}, never planted anywhere) for one {@code sts:GetCallerIdentity}
 * and notes the time on the PipelineHealth object; the detector notes there the latest use it read
 * per intake path. Each path whose deadline passed without its use is down: one PipelineDown notice
 * (a HoneyTokenAlert the delivery outbox sends to the AlertSinks with match.pipelineNotices), and
 * its resolve when the path delivers again. Everything it decides on is on the object, so a restart
 * or another leader carries on where it was.
 */
@ControllerConfiguration(name = "selftest")
public class SelfTestReconciler implements Reconciler<PipelineHealth> {
  private static final Logger log = LoggerFactory.getLogger(SelfTestReconciler.class);
  /** How often the schedule is looked at (no API call unless something is due). */
  static final Duration TICK = Duration.ofSeconds(5);
  /** Calls kept on the object, at most. */
  static final int CALLS_KEPT = 20;
  static final String CALLING = "SelfTestCalling";
  /** Label on a PipelineDown notice: the intake path's tag. */
  public static final String PATH_LABEL = SpaceCrab.GROUP + "/pipeline-path";
  /** Waits after failed self-test calls (the key could not be issued or used). */
  static final Backoff CALL_BACKOFF = new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(15));

  private final TokenIssuer issuer;
  private final CallerIdentity sts;
  private final KubernetesClient client;
  private final PipelineHealthStore store;
  private final OperatorConfig config;
  private final OperatorMetrics metrics;
  private final Clock clock;
  private volatile Instant nextAttempt;
  private volatile int failures;

  public SelfTestReconciler(TokenIssuer issuer, CallerIdentity sts, KubernetesClient client, PipelineHealthStore store,
      OperatorConfig config, OperatorMetrics metrics, Clock clock) {
    this.issuer = issuer;
    this.sts = sts;
    this.client = client;
    this.store = store;
    this.config = config;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public UpdateControl<PipelineHealth> reconcile(PipelineHealth health, Context<PipelineHealth> context) {
    if (!SpaceCrab.SELF_TEST_NAME.equals(health.getMetadata().getName())) {
      return UpdateControl.noUpdate();
    }
    Instant now = clock.instant();
    StatusUpdate<PipelineHealthStatus> update = StatusUpdate.of(health.getStatus(), PipelineHealthStatus::new);
    PipelineHealthStatus status = update.before();
    List<Instant> calls = new ArrayList<>(status.getCalls() == null ? List.of()
        : status.getCalls().stream().map(Timestamps::parse).filter(Objects::nonNull).sorted().toList());
    List<Condition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
    List<Consumer<PipelineHealthStatus>> changes = new ArrayList<>();
    if (due(calls, now)) {
      conditions = call(calls, conditions, changes, now);
    }
    for (IntakePath path : IntakePath.values()) {
      conditions = check(path, calls, status, conditions, health.getMetadata().getGeneration(), now);
    }
    List<Condition> written = conditions;
    changes.add(s -> s.setConditions(written));
    Consumer<PipelineHealthStatus> change = s -> changes.forEach(c -> c.accept(s));
    PipelineHealthStatus desired = health.getStatus() == null ? new PipelineHealthStatus() : health.getStatus();
    change.accept(desired);
    if (update.changes(desired)) {
      // only the operator's own fields: the detector's sightings on the object stay as they are
      store.updateStatus(change);
    }
    return UpdateControl.<PipelineHealth>noUpdate().rescheduleAfter(TICK);
  }

  private boolean due(List<Instant> calls, Instant now) {
    Instant last = calls.isEmpty() ? null : calls.get(calls.size() - 1);
    Instant retry = nextAttempt;
    return (last == null || !now.isBefore(last.plus(config.selfTestInterval())))
        && (retry == null || !now.isBefore(retry));
  }

  /** One self-test call; its time (or why it failed) goes into the changes. */
  private List<Condition> call(List<Instant> calls, List<Condition> conditions,
      List<Consumer<PipelineHealthStatus>> changes, Instant now) {
    try {
      IssuedToken key = issuer.issue(token());
      sts.call(key.accessKeyId(), key.secretAccessKey());
    } catch (RuntimeException e) {
      // an AWS error, a refusal (TokenFailure) or an API error: its message holds no key material
      failures++;
      Duration wait = CALL_BACKOFF.delay(failures);
      nextAttempt = now.plus(wait);
      metrics.selfTestCall("failed");
      log.warn("self-test call failed ({}); next attempt in {}", e.getMessage(), wait);
      String error = String.valueOf(e.getMessage());
      changes.add(s -> s.setLastCallError(error));
      return Conditions.set(conditions, CALLING, false, "CallFailed",
          "The self-test call failed: " + e.getMessage(), null, now);
    }
    failures = 0;
    nextAttempt = null;
    metrics.selfTestCall("ok");
    calls.add(now);
    while (calls.size() > CALLS_KEPT) {
      calls.remove(0);
    }
    List<String> written = calls.stream().map(Instant::toString).toList();
    changes.add(s -> {
      s.setCalls(new ArrayList<>(written));
      s.setLastCallTime(now.toString());
      s.setLastCallError(null);
    });
    log.info("self-test call made at {}", now);
    return Conditions.set(conditions, CALLING, true, "Called",
        "The self-test key calls sts:GetCallerIdentity every " + config.selfTestInterval() + ".", null, now);
  }

  /** The path's condition, and a PipelineDown notice (or its resolve) when the path changes. */
  private List<Condition> check(IntakePath path, List<Instant> calls, PipelineHealthStatus status,
      List<Condition> conditions, Long generation, Instant now) {
    PathSighting sighting = path.sighting(status);
    Instant lastSeen = sighting == null ? null : Timestamps.parse(sighting.getLastEventTime());
    Duration deadline = deadline(path);
    PipelineCheck.Verdict verdict = PipelineCheck.verdict(calls, lastSeen, deadline, now);
    Condition before = Conditions.find(conditions, path.condition()).orElse(null);
    boolean wasDown = before != null && "False".equals(before.getStatus());
    switch (verdict.state()) {
      case DOWN -> {
        metrics.pipelineUp(path.tag(), false);
        if (wasDown) {
          return conditions; // noticed already: the first missed call stays the one named
        }
        String message = "No self-test use arrived through " + path.description() + " within " + deadline
            + " of the call at " + verdict.since() + (lastSeen == null ? "; none was ever seen."
            : "; the latest seen was made at " + lastSeen + ".");
        raise(path, verdict.since(), message);
        log.warn("pipeline down: {}", message);
        return Conditions.set(conditions, path.condition(), false, "SelfTestMissing", message, generation, now);
      }
      case DELIVERING -> {
        metrics.pipelineUp(path.tag(), true);
        if (wasDown) {
          resolve(path);
          log.info("pipeline delivers again through {}", path.description());
        }
        return Conditions.set(conditions, path.condition(), true, "Delivering", "Every self-test call older than "
            + deadline + " arrived through " + path.description() + (lastSeen == null ? "." : "; the latest was made at "
            + lastSeen + "."), generation, now);
      }
      default -> {
        return before != null ? conditions : Conditions.set(conditions, path.condition(), "Unknown", "Waiting",
            "No self-test call is older than the deadline (" + deadline + ") yet.", generation, now);
      }
    }
  }

  private Duration deadline(IntakePath path) {
    return path == IntakePath.S3 ? config.selfTestDeadlineS3() : config.selfTestDeadlineEventBridge();
  }

  /** The PipelineDown notice for this path and first missed call; written once (its name says which). */
  private void raise(IntakePath path, Instant since, String message) {
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withNamespace(config.alertNamespace())
        .withName("pipeline-down-" + path.tag() + "-" + since.getEpochSecond())
        .withLabels(Map.of(PATH_LABEL, path.tag())).build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setReason(SpaceCrab.PIPELINE_DOWN);
    TokenRef ref = new TokenRef();
    ref.setNamespace(config.namespace());
    ref.setName(SpaceCrab.SELF_TEST_NAME);
    spec.setToken(ref);
    spec.setCluster(config.clusterId());
    spec.setLocation(path.description());
    spec.setNotes(message);
    spec.setFirstSeen(since.toString());
    spec.setLastSeen(since.toString());
    spec.setEventCount(0L);
    alert.setSpec(spec);
    try {
      client.resource(alert).create();
      metrics.pipelineNotice(path.tag(), "down");
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
  }

  /** Resolves every open PipelineDown notice of this path (the outbox sends the resolves). */
  private void resolve(IntakePath path) {
    for (HoneyTokenAlert alert : client.resources(HoneyTokenAlert.class).inNamespace(config.alertNamespace())
        .withLabel(PATH_LABEL, path.tag()).list().getItems()) {
      if (!SpaceCrab.PIPELINE_DOWN.equals(alert.getSpec().getReason())
          || Boolean.TRUE.equals(alert.getSpec().getResolved())) {
        continue;
      }
      client.resources(HoneyTokenAlert.class).inNamespace(config.alertNamespace())
          .withName(alert.getMetadata().getName())
          .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"resolved\":true}}");
      metrics.pipelineNotice(path.tag(), "recovered");
    }
  }

  /**
   * The self-test key's token: no object, only what {@link TokenIssuer} needs. Its uid,
   * {@code self-test-} and a part derived from the seal key, gives its user the same name after
   * every restart, so the operator finds its user and key again (through the registry) instead of
   * making new ones; and nobody without the seal key can compute that name (the cluster id is in
   * every token user's ownership tag), so IAM read access does not single the self-test user out.
   */
  private HoneyToken token() {
    HoneyToken token = new HoneyToken();
    token.setMetadata(new ObjectMetaBuilder().withNamespace(config.namespace()).withName(SpaceCrab.SELF_TEST_NAME)
        .withUid(SpaceCrab.SELF_TEST_UID + "-" + issuer.derive("self-test/" + config.clusterId())).build());
    HoneyTokenSpec spec = new HoneyTokenSpec();
    spec.setNotes("The operator's self-test key: used only for sts:GetCallerIdentity, planted nowhere.");
    token.setSpec(spec);
    return token;
  }
}
