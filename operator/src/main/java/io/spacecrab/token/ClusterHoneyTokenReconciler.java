package io.spacecrab.token;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.ClusterHoneyTokenSpec;
import io.spacecrab.api.v1alpha1.ClusterHoneyTokenStatus;
import io.spacecrab.api.v1alpha1.FailingNamespace;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.StatusUpdate;
import io.spacecrab.metrics.OperatorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per ClusterHoneyToken: validate, work out the selected namespaces, create the missing
 * HoneyTokens, roll the template out to the existing ones, delete those in namespaces no longer
 * selected, and report counts. Namespace events re-trigger every ClusterHoneyToken; child events
 * re-trigger their parent. Nothing is written when nothing changed.
 */
@ControllerConfiguration(name = "clusterhoneytoken", finalizerName = SpaceCrab.FINALIZER)
public class ClusterHoneyTokenReconciler implements Reconciler<ClusterHoneyToken>, Cleaner<ClusterHoneyToken> {
  private static final Logger log = LoggerFactory.getLogger(ClusterHoneyTokenReconciler.class);
  private static final Duration CLEANUP_POLL = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final EventRecorder events;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final OperatorConfig config;
  private InformerEventSource<Namespace, ClusterHoneyToken> namespaces;
  private InformerEventSource<HoneyToken, ClusterHoneyToken> children;

  public ClusterHoneyTokenReconciler(KubernetesClient client, EventRecorder events, Clock clock,
      OperatorMetrics metrics, OperatorConfig config) {
    this.client = client;
    this.config = config;
    this.metrics = metrics;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<EventSource<?, ClusterHoneyToken>> prepareEventSources(
      EventSourceContext<ClusterHoneyToken> context) {
    var namespaceConfig = InformerEventSourceConfiguration.from(Namespace.class, ClusterHoneyToken.class)
        .withSecondaryToPrimaryMapper(namespace -> context.getPrimaryCache().list()
            .map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build();
    var childBuilder = InformerEventSourceConfiguration.from(HoneyToken.class, ClusterHoneyToken.class);
    if (config.watchesAllNamespaces()) {
      childBuilder.withWatchAllNamespaces();
    } else {
      childBuilder.withNamespaces(config.watchNamespaces());
    }
    var childConfig = childBuilder
        .withLabelSelector(SpaceCrab.CLUSTER_TOKEN_LABEL)
        .withSecondaryToPrimaryMapper(child -> {
          String parent = parentName(child);
          return parent == null ? Set.of() : Set.of(new ResourceID(parent));
        })
        .build();
    namespaces = new InformerEventSource<>(namespaceConfig, context);
    children = new InformerEventSource<>(childConfig, context);
    return List.of(namespaces, children);
  }

  @Override
  public UpdateControl<ClusterHoneyToken> reconcile(ClusterHoneyToken parent, Context<ClusterHoneyToken> context) {
    StatusUpdate<ClusterHoneyTokenStatus> update = StatusUpdate.of(parent.getStatus(), ClusterHoneyTokenStatus::new);
    List<String> problems = problems(parent.getSpec());
    if (!problems.isEmpty()) {
      String message = "The spec is invalid: " + String.join("; ", problems) + ".";
      setReady(parent, false, "InvalidSpec", message);
      return finish(parent, update, "InvalidSpec", message);
    }
    ClusterHoneyTokenSpec spec = parent.getSpec();
    NamespaceSelection selection = NamespaceSelection.of(spec.getNamespaceSelector(), spec.getNamespaces(),
        spec.getExcludeNamespaces());
    // with --watch-namespaces, only those can hold a token the operator handles
    SortedSet<String> desired = selection.desiredNamespaces(
        namespaces.list(n -> config.watches(n.getMetadata().getName())).toList());
    Map<String, HoneyToken> current = childrenOf(parent);
    Map<String, FailingNamespace> conflicts = new TreeMap<>();
    ChildToken template = ChildToken.of(parent, config.securityNamespace());
    ChildChanges changes = new ChildChanges();

    for (String namespace : desired) {
      HoneyToken child = current.get(namespace);
      if (child == null) {
        HoneyToken made = createChild(parent, template, namespace, conflicts, changes);
        if (made != null) {
          current.put(namespace, made);
        }
      } else if (child.getMetadata().getDeletionTimestamp() == null && !template.upToDate(child)) {
        client.resource(template.rolledOut(child)).update();
        changes.updated();
        log.info("rolled template of ClusterHoneyToken {} out to namespace {}", name(parent), namespace);
      }
    }
    for (Map.Entry<String, HoneyToken> entry : current.entrySet()) {
      HoneyToken child = entry.getValue();
      if (!desired.contains(entry.getKey()) && child.getMetadata().getDeletionTimestamp() == null) {
        client.resource(child).delete();
        changes.deleted();
        log.info("deleted the token of ClusterHoneyToken {} for namespace {}: no longer selected", name(parent),
            entry.getKey());
      }
    }
    retireTenantNamespaceChildren(parent, current, changes);
    if (changes.any()) {
      events.normal(parent, "TokensChanged", changes.summary());
    }

    RolloutStatus rollout = RolloutStatus.of(desired, current, conflicts);
    rollout.writeTo(status(parent));
    metrics.rollout(name(parent), rollout.desired(), rollout.ready(), rollout.failing().size());
    setReady(parent, rollout.allReady(), rollout.reason(), rollout.message());
    return finish(parent, update, rollout.failing().isEmpty() ? null : rollout.reason(), rollout.message());
  }

  @Override
  public DeleteControl cleanup(ClusterHoneyToken parent, Context<ClusterHoneyToken> context) {
    // read live in the security namespace (the cache may not hold a child created a moment ago)
    List<HoneyToken> remaining = client.resources(HoneyToken.class).inNamespace(config.securityNamespace())
        .withLabel(SpaceCrab.CLUSTER_TOKEN_LABEL, name(parent)).list().getItems();
    if (remaining.isEmpty()) {
      log.info("ClusterHoneyToken {} has no tokens left; removing its finalizer", name(parent));
      metrics.rolloutGone(name(parent));
      return DeleteControl.defaultDelete();
    }
    for (HoneyToken child : remaining) {
      if (child.getMetadata().getDeletionTimestamp() == null) {
        client.resource(child).delete();
      }
    }
    // each child's own finalizer removes its IAM user (per its deletionPolicy); wait for them all
    return DeleteControl.noFinalizerRemoval().rescheduleAfter(CLEANUP_POLL);
  }

  /**
   * The child in this namespace: read live (the informer may not have our own create yet), else
   * created; null with a recorded conflict when a token of that name is someone else's.
   */
  private HoneyToken createChild(ClusterHoneyToken parent, ChildToken template, String namespace,
      Map<String, FailingNamespace> conflicts, ChildChanges changes) {
    String home = config.securityNamespace();
    String childName = ChildToken.name(parent, namespace);
    HoneyToken existing = client.resources(HoneyToken.class).inNamespace(home).withName(childName).get();
    if (existing == null) {
      try {
        HoneyToken made = client.resource(template.forNamespace(namespace, earlierChild(parent, namespace))).create();
        changes.created();
        log.info("created token {}/{} for ClusterHoneyToken {} (Secret in namespace {})", home, childName,
            name(parent), namespace);
        return made;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        existing = client.resources(HoneyToken.class).inNamespace(home).withName(childName).get();
      }
    }
    if (existing != null && ChildToken.ownedBy(existing, parent) && namespace.equals(ChildToken.targetNamespace(existing))) {
      return existing;
    }
    conflicts.put(namespace, new FailingNamespace(namespace, "TokenConflict", "HoneyToken " + home + "/" + childName
        + " already exists and was not created by this ClusterHoneyToken for namespace " + namespace
        + "; it was left untouched."));
    return null;
  }

  /**
   * Children that an earlier version created in the tenant namespaces themselves (where anyone who
   * may list HoneyTokens there saw which Secret is a decoy) are deleted, each once its replacement
   * in the security namespace is Ready, so the namespace is never left without a token. The
   * replacement took the earlier child's IAM user and key over (its registry record now names the
   * replacement), so the earlier child's finalizer finds no user of its own to remove and leaves the
   * Secret, which the replacement now asks for, alone. An earlier child no longer selected is
   * deleted like any child.
   */
  private void retireTenantNamespaceChildren(ClusterHoneyToken parent, Map<String, HoneyToken> current,
      ChildChanges changes) {
    String parentName = name(parent);
    String home = config.securityNamespace();
    for (HoneyToken old : children.list(child -> parentName.equals(parentName(child))
        && !home.equals(child.getMetadata().getNamespace()) && child.getMetadata().getDeletionTimestamp() == null)
        .toList()) {
      HoneyToken replacement = current.get(old.getMetadata().getNamespace());
      if (replacement == null || RolloutStatus.ready(replacement)) {
        client.resource(old).delete();
        changes.deleted();
        log.info("deleted the token of ClusterHoneyToken {} that lived in namespace {}: replaced from namespace {}",
            parentName, old.getMetadata().getNamespace(), home);
      }
    }
  }

  /** A live child an earlier version created in the tenant namespace itself, if any (its key is taken over). */
  private HoneyToken earlierChild(ClusterHoneyToken parent, String namespace) {
    if (namespace.equals(config.securityNamespace())) {
      return null;
    }
    String parentName = name(parent);
    return children.list(namespace, child -> parentName.equals(parentName(child))
        && ChildToken.targetNamespace(child) == null && child.getMetadata().getDeletionTimestamp() == null)
        .findFirst().orElse(null);
  }

  /** This parent's children in the security namespace, by the namespace they plant their Secret in. */
  private Map<String, HoneyToken> childrenOf(ClusterHoneyToken parent) {
    String parentName = name(parent);
    String home = config.securityNamespace();
    Map<String, HoneyToken> byNamespace = new TreeMap<>();
    children.list(child -> parentName.equals(parentName(child)) && home.equals(child.getMetadata().getNamespace()))
        .forEach(child -> {
          String target = ChildToken.targetNamespace(child);
          if (target != null && ChildToken.name(parent, target).equals(child.getMetadata().getName())) {
            byNamespace.put(target, child);
          }
        });
    return byNamespace;
  }

  private static List<String> problems(ClusterHoneyTokenSpec spec) {
    if (spec == null) {
      return List.of("spec is missing");
    }
    List<String> problems = new ArrayList<>(NamespaceSelection.problems(spec.getNamespaceSelector(),
        spec.getNamespaces(), spec.getExcludeNamespaces()));
    if (spec.getTemplate() == null) {
      problems.add("spec.template is required");
      return problems;
    }
    for (String problem : HoneyTokenValidation.problems(spec.getTemplate().getSpec())) {
      problems.add(problem.replaceFirst("^spec", "spec.template.spec"));
    }
    if (spec.getTemplate().getSpec() != null && spec.getTemplate().getSpec().getUserName() != null) {
      problems.add("spec.template.spec.userName must not be set: every namespace needs its own IAM user");
    }
    if (spec.getTemplate().getSpec() != null && spec.getTemplate().getSpec().getSecret() != null
        && spec.getTemplate().getSpec().getSecret().getNamespace() != null) {
      problems.add("spec.template.spec.secret.namespace must not be set: each selected namespace gets its own Secret");
    }
    return problems;
  }

  /** The status write when the status changed, with a Warning when the Ready reason changed to a failing one. */
  private UpdateControl<ClusterHoneyToken> finish(ClusterHoneyToken parent, StatusUpdate<ClusterHoneyTokenStatus> update,
      String warningReason, String message) {
    UpdateControl<ClusterHoneyToken> control = update.control(parent);
    if (control.isPatchStatus() && warningReason != null && !Objects.equals(readyReason(update.before()), warningReason)) {
      events.warning(parent, warningReason, message);
    }
    return control;
  }

  private void setReady(ClusterHoneyToken parent, boolean ready, String reason, String message) {
    status(parent).setReadyCondition(ready, reason, message, parent.getMetadata().getGeneration(), clock.instant());
  }

  private static String readyReason(ClusterHoneyTokenStatus status) {
    return Conditions.find(status.getConditions(), Conditions.READY)
        .map(c -> c.getReason()).orElse(null);
  }

  private static String parentName(HoneyToken child) {
    Map<String, String> labels = child.getMetadata().getLabels();
    return labels == null ? null : labels.get(SpaceCrab.CLUSTER_TOKEN_LABEL);
  }

  private static String name(ClusterHoneyToken parent) {
    return parent.getMetadata().getName();
  }

  private static ClusterHoneyTokenStatus status(ClusterHoneyToken parent) {
    if (parent.getStatus() == null) {
      parent.setStatus(new ClusterHoneyTokenStatus());
    }
    return parent.getStatus();
  }
}
