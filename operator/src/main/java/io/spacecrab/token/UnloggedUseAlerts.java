package io.spacecrab.token;

import io.spacecrab.api.Names;
import io.spacecrab.api.Alerts;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenAlert;
import io.spacecrab.api.v1alpha1.HoneyTokenAlertSpec;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.api.v1alpha1.IamLastUse;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.aws.AccessKeyLastUse;
import io.spacecrab.kube.EventRecorder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net beside CloudTrail: IAM's own record of a token key's latest use
 * (GetAccessKeyLastUsed) becomes a HoneyTokenAlert of reason {@value #REASON} when, once the grace
 * period after that time is over, no CloudTrail-derived alert of the token covers it. The alert is
 * named after the token and the last-use time, so it is written once however often the same time
 * is seen, and the alert delivery outbox sends it like any other alert.
 */
public final class UnloggedUseAlerts {
  private static final Logger log = LoggerFactory.getLogger(UnloggedUseAlerts.class);
  /** Reason of the alert, of its Event and of the token's Triggered condition. */
  public static final String REASON = Alerts.USED_WITHOUT_TRAIL;

  /** What became of one last use. */
  public enum Outcome {
    /** The grace period is still running: CloudTrail's record may yet arrive. */
    WAIT,
    /** A CloudTrail-derived alert of the token covers it. */
    COVERED,
    /** This call wrote the UsedWithoutTrail alert. */
    RAISED,
    /** The UsedWithoutTrail alert for this time exists already (an earlier decision, or another replica). */
    ALREADY_RAISED
  }

  private final KubernetesClient client;
  private final String alertNamespace;
  private final Duration grace;
  private final String clusterId;
  private final EventRecorder events;

  public UnloggedUseAlerts(KubernetesClient client, String alertNamespace, Duration grace, String clusterId,
      EventRecorder events) {
    this.client = client;
    this.alertNamespace = alertNamespace;
    this.grace = grace;
    this.clusterId = clusterId;
    this.events = events;
  }

  /** When the decision on this use is due: IAM's time plus the grace period. */
  public Instant dueAt(AccessKeyLastUse use) {
    return use.lastUsed().plus(grace);
  }

  /**
   * Decides on one last use of the token's key at {@code now}: WAIT before {@link #dueAt}; COVERED
   * when a CloudTrail-derived alert of the token has {@code lastSeen} at or after IAM's time less
   * IAM's precision; otherwise writes the alert (RAISED) or finds it written (ALREADY_RAISED).
   * Idempotent; throws KubernetesClientException when the API server cannot be read or written.
   */
  public Outcome decide(HoneyToken token, String userName, String accessKeyId, AccessKeyLastUse use, Instant now) {
    if (now.isBefore(dueAt(use))) {
      return Outcome.WAIT;
    }
    String name = alertName(token, use);
    Instant coveredFrom = use.lastUsed().minus(AccessKeyLastUse.PRECISION);
    for (HoneyTokenAlert a : client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace)
        .withLabel(Alerts.LABEL_TOKEN_UID, token.getMetadata().getUid()).list().getItems()) {
      if (name.equals(a.getMetadata().getName())) {
        return Outcome.ALREADY_RAISED;
      }
      if (a.getSpec() != null && cloudTrailDerived(a.getSpec())) {
        Instant lastSeen = Timestamps.parse(a.getSpec().getLastSeen());
        if (lastSeen != null && !lastSeen.isBefore(coveredFrom)) {
          return Outcome.COVERED;
        }
      }
    }
    HoneyTokenAlert alert = newAlert(name, token, userName, accessKeyId, use);
    HoneyTokenAlert stored;
    try {
      stored = client.resources(HoneyTokenAlert.class).inNamespace(alertNamespace).resource(alert).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return Outcome.ALREADY_RAISED;
      }
      throw e;
    }
    String message = message(token, use);
    events.warning(stored, REASON, message);
    log.warn("raised alert {}: {}", name, message);
    return Outcome.RAISED;
  }

  /** E.g. "IAM reports a use of the key of token payments/db (sts in eu-west-1 at …) that CloudTrail did not record." */
  public static String message(HoneyToken token, AccessKeyLastUse use) {
    return "IAM reports a use of the key of token " + token.getMetadata().getNamespace() + "/"
        + token.getMetadata().getName() + " (" + describe(use) + ") that no CloudTrail record shows: an API"
        + " CloudTrail does not log, or a broken trail.";
  }

  /** E.g. "sts in eu-west-1 at 2026-11-30T12:37:00Z". */
  public static String describe(AccessKeyLastUse use) {
    return (use.serviceName() == null ? "service unknown" : use.serviceName()) + " in "
        + (use.region() == null ? "an unknown region" : use.region()) + " at " + use.lastUsed();
  }

  /** Written by the detector from CloudTrail records (every alert but ours). */
  static boolean cloudTrailDerived(HoneyTokenAlertSpec spec) {
    return spec.getReason() == null || Alerts.KEY_USED.equals(spec.getReason());
  }

  /** The name of the alert for this use of the token's key. */
  public static String alertName(HoneyToken token, AccessKeyLastUse use) {
    return alertName(token.getMetadata().getName(), token.getMetadata().getUid(), use.lastUsed());
  }

  /** Deterministic: the same token and last-use time always give the same name. */
  static String alertName(String tokenName, String tokenUid, Instant lastUsed) {
    String base = tokenName == null ? "token" : tokenName;
    base = base.length() > 40 ? base.substring(0, 40) : base;
    base = base.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    return (base.isEmpty() ? "token" : base) + "-iam-" + Names.hash(tokenUid + "/iam/" + lastUsed, 8);
  }

  private HoneyTokenAlert newAlert(String name, HoneyToken token, String userName, String accessKeyId,
      AccessKeyLastUse use) {
    String namespace = token.getMetadata().getNamespace();
    String tokenName = token.getMetadata().getName();
    HoneyTokenAlert alert = new HoneyTokenAlert();
    alert.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(alertNamespace)
        .addToLabels(Alerts.LABEL_TOKEN_UID, token.getMetadata().getUid())
        .addToLabels(Alerts.LABEL_TOKEN_NAMESPACE, Names.labelValue(namespace))
        .addToLabels(Alerts.LABEL_TOKEN_NAME, Names.labelValue(tokenName))
        .build());
    HoneyTokenAlertSpec spec = new HoneyTokenAlertSpec();
    spec.setReason(REASON);
    spec.setIamLastUse(new IamLastUse(use.lastUsed().toString(), use.serviceName(), use.region()));
    spec.setToken(new TokenRef(namespace, tokenName, token.getMetadata().getUid()));
    spec.setAccessKeyId(accessKeyId);
    spec.setUserName(userName);
    spec.setCluster(clusterId);
    HoneyTokenSpec tokenSpec = token.getSpec();
    if (tokenSpec != null) {
      spec.setOwner(tokenSpec.getOwner());
      spec.setLocation(tokenSpec.getLocation());
      spec.setNotes(tokenSpec.getNotes());
    }
    spec.setTokenState("Active");
    spec.setFirstSeen(use.lastUsed().toString());
    spec.setLastSeen(use.lastUsed().toString());
    spec.setEventCount(0L);
    List<String> regions = new ArrayList<>();
    if (use.region() != null) {
      regions.add(use.region());
    }
    spec.setRegions(regions);
    Map<String, String> labels = token.getMetadata().getLabels();
    spec.setTokenLabels(labels == null ? Map.of() : new TreeMap<>(labels));
    alert.setSpec(spec);
    return alert;
  }
}
