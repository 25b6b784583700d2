package io.spacecrab.notify;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.spacecrab.api.v1alpha1.AlertExposure;
import io.spacecrab.api.v1alpha1.ExposedWorkload;
import io.spacecrab.api.v1alpha1.SecretReader;
import io.spacecrab.kube.NamespaceSelector;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who could read one Secret, computed from objects already read (pure, no I/O): the workloads of
 * its namespace whose pods refer to it (volume, projected volume, env, envFrom) or run as a
 * ServiceAccount RBAC lets read it, each named by its top owner (Pod → ReplicaSet → Deployment,
 * Pod → Job → CronJob, StatefulSet, DaemonSet); and the subjects RoleBindings of the namespace and
 * ClusterRoleBindings grant get, list or watch on it, aggregated ClusterRoles included. Each list
 * holds at most {@value #CAP} entries and counts the rest.
 */
public final class SecretExposure {
  /** The most entries each list holds. */
  public static final int CAP = 20;
  static final List<String> READ_VERBS = List.of("get", "list", "watch");

  /** What was read: the Secret's namespace's workloads and RoleBindings/Roles, and the cluster's RBAC. */
  public record Reads(List<Pod> pods, List<ReplicaSet> replicaSets, List<Deployment> deployments,
      List<StatefulSet> statefulSets, List<DaemonSet> daemonSets, List<Job> jobs, List<CronJob> cronJobs,
      List<RoleBinding> roleBindings, List<Role> roles, List<ClusterRoleBinding> clusterRoleBindings,
      List<ClusterRole> clusterRoles) {
    public Reads {
      pods = orEmpty(pods);
      replicaSets = orEmpty(replicaSets);
      deployments = orEmpty(deployments);
      statefulSets = orEmpty(statefulSets);
      daemonSets = orEmpty(daemonSets);
      jobs = orEmpty(jobs);
      cronJobs = orEmpty(cronJobs);
      roleBindings = orEmpty(roleBindings);
      roles = orEmpty(roles);
      clusterRoleBindings = orEmpty(clusterRoleBindings);
      clusterRoles = orEmpty(clusterRoles);
    }

    private static <T> List<T> orEmpty(List<T> list) {
      return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
    }
  }

  private SecretExposure() {}

  /** The exposure of Secret {@code namespace/name} in {@code objects}, state Known, observed {@code at}. */
  public static AlertExposure of(String namespace, String name, Reads objects, Instant at) {
    List<SecretReader> readers = readers(namespace, name, objects);
    List<ExposedWorkload> workloads = workloads(namespace, name, objects, readers);
    AlertExposure exposure = new AlertExposure();
    exposure.setState(AlertExposure.KNOWN);
    exposure.setObservedAt(at.toString());
    exposure.setSecretNamespace(namespace);
    exposure.setSecretName(name);
    exposure.setWorkloads(new ArrayList<>(workloads.subList(0, Math.min(CAP, workloads.size()))));
    exposure.setWorkloadsTruncated(workloads.size() > CAP ? workloads.size() - CAP : null);
    exposure.setReaders(new ArrayList<>(readers.subList(0, Math.min(CAP, readers.size()))));
    exposure.setReadersTruncated(readers.size() > CAP ? readers.size() - CAP : null);
    return exposure;
  }

  /** An exposure that could not be read: no lists, {@code reason} and {@code message} say why. */
  public static AlertExposure unknown(String namespace, String name, String reason, String message, Instant at) {
    AlertExposure exposure = new AlertExposure();
    exposure.setState(AlertExposure.UNKNOWN);
    exposure.setReason(reason);
    exposure.setMessage(message);
    exposure.setObservedAt(at.toString());
    exposure.setSecretNamespace(namespace);
    exposure.setSecretName(name);
    return exposure;
  }

  // --- workloads

  private static List<ExposedWorkload> workloads(String namespace, String secret, Reads objects,
      List<SecretReader> readers) {
    Map<String, ReplicaSet> replicaSets = byName(objects.replicaSets());
    Map<String, Job> jobs = byName(objects.jobs());
    Map<String, Found> found = new LinkedHashMap<>();
    List<Carrier> carriers = new ArrayList<>();
    objects.pods().forEach(p -> carriers.add(new Carrier("Pod", p, p.getSpec())));
    // a ReplicaSet scaled to 0 (a Deployment's old revision) runs nothing
    objects.replicaSets().stream().filter(r -> r.getSpec() == null || !Integer.valueOf(0).equals(r.getSpec().getReplicas()))
        .forEach(r -> carriers.add(new Carrier("ReplicaSet", r,
        r.getSpec() == null || r.getSpec().getTemplate() == null ? null : r.getSpec().getTemplate().getSpec())));
    objects.deployments().forEach(d -> carriers.add(new Carrier("Deployment", d,
        d.getSpec() == null || d.getSpec().getTemplate() == null ? null : d.getSpec().getTemplate().getSpec())));
    objects.statefulSets().forEach(s -> carriers.add(new Carrier("StatefulSet", s,
        s.getSpec() == null || s.getSpec().getTemplate() == null ? null : s.getSpec().getTemplate().getSpec())));
    objects.daemonSets().forEach(d -> carriers.add(new Carrier("DaemonSet", d,
        d.getSpec() == null || d.getSpec().getTemplate() == null ? null : d.getSpec().getTemplate().getSpec())));
    objects.jobs().forEach(j -> carriers.add(new Carrier("Job", j,
        j.getSpec() == null || j.getSpec().getTemplate() == null ? null : j.getSpec().getTemplate().getSpec())));
    objects.cronJobs().forEach(c -> carriers.add(new Carrier("CronJob", c,
        c.getSpec() == null || c.getSpec().getJobTemplate() == null
            || c.getSpec().getJobTemplate().getSpec() == null
            || c.getSpec().getJobTemplate().getSpec().getTemplate() == null ? null
            : c.getSpec().getJobTemplate().getSpec().getTemplate().getSpec())));
    Set<String> readingAccounts = readingServiceAccounts(namespace, readers);
    boolean everyAccountReads = readers.stream().anyMatch(r -> "Group".equals(r.getKind())
        && (r.getName().equals("system:serviceaccounts") || r.getName().equals("system:serviceaccounts:" + namespace)
            || r.getName().equals("system:authenticated")));
    for (Carrier c : carriers) {
      if (c.spec() == null || !namespace.equals(c.object().getMetadata().getNamespace())) {
        continue;
      }
      Set<String> via = references(c.spec(), secret);
      String account = serviceAccount(c.spec());
      if (everyAccountReads || readingAccounts.contains(account)) {
        via.add("serviceAccount");
      }
      if (via.isEmpty()) {
        continue;
      }
      String[] top = topOwner(c.kind(), c.object(), replicaSets, jobs);
      found.computeIfAbsent(top[0] + "/" + top[1], k -> new Found(top[0], top[1], new TreeSet<>(VIA_ORDER),
          new TreeSet<>())).add(via, account);
    }
    return found.values().stream()
        .map(f -> new ExposedWorkload(f.kind(), f.name(), new ArrayList<>(f.via()),
            f.accounts().isEmpty() ? null : String.join(",", f.accounts())))
        .sorted(Comparator.comparing((ExposedWorkload w) -> w.getVia().equals(List.of("serviceAccount")))
            .thenComparing(ExposedWorkload::getKind).thenComparing(ExposedWorkload::getName))
        .toList();
  }

  private static final List<String> VIAS = List.of("volume", "projected", "env", "envFrom", "serviceAccount");
  private static final Comparator<String> VIA_ORDER = Comparator.comparingInt(VIAS::indexOf);

  private record Carrier(String kind, HasMetadata object, PodSpec spec) {}

  private record Found(String kind, String name, Set<String> via, Set<String> accounts) {
    void add(Set<String> more, String account) {
      via.addAll(more);
      accounts.add(account);
    }
  }

  /** How a pod spec refers to the Secret by name: volume, projected, env, envFrom (mutable set). */
  static Set<String> references(PodSpec spec, String secret) {
    Set<String> via = new TreeSet<>(VIA_ORDER);
    for (Volume v : list(spec.getVolumes())) {
      if (v.getSecret() != null && secret.equals(v.getSecret().getSecretName())) {
        via.add("volume");
      }
      if (v.getProjected() != null) {
        for (VolumeProjection source : list(v.getProjected().getSources())) {
          if (source.getSecret() != null && secret.equals(source.getSecret().getName())) {
            via.add("projected");
          }
        }
      }
    }
    List<Container> containers = new ArrayList<>(list(spec.getContainers()));
    containers.addAll(list(spec.getInitContainers()));
    for (Container container : containers) {
      env(container.getEnv(), container.getEnvFrom(), secret, via);
    }
    for (var container : list(spec.getEphemeralContainers())) {
      env(container.getEnv(), container.getEnvFrom(), secret, via);
    }
    return via;
  }

  private static void env(List<EnvVar> env, List<EnvFromSource> envFrom, String secret, Set<String> via) {
    for (EnvVar e : list(env)) {
      if (e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null
          && secret.equals(e.getValueFrom().getSecretKeyRef().getName())) {
        via.add("env");
      }
    }
    for (EnvFromSource e : list(envFrom)) {
      if (e.getSecretRef() != null && secret.equals(e.getSecretRef().getName())) {
        via.add("envFrom");
      }
    }
  }

  private static String serviceAccount(PodSpec spec) {
    String name = spec.getServiceAccountName() != null && !spec.getServiceAccountName().isEmpty()
        ? spec.getServiceAccountName() : spec.getServiceAccount();
    return name == null || name.isEmpty() ? "default" : name;
  }

  /** {kind, name} of the workload that owns this object: a ReplicaSet's Deployment, a Job's CronJob, a Pod's controller. */
  private static String[] topOwner(String kind, HasMetadata object, Map<String, ReplicaSet> replicaSets,
      Map<String, Job> jobs) {
    String[] current = {kind, object.getMetadata().getName()};
    HasMetadata at = object;
    for (int depth = 0; depth < 3 && at != null; depth++) {
      OwnerReference owner = controller(at);
      if (owner == null || owner.getKind() == null || owner.getName() == null) {
        break;
      }
      current = new String[] {owner.getKind(), owner.getName()};
      at = switch (owner.getKind()) {
        case "ReplicaSet" -> replicaSets.get(owner.getName());
        case "Job" -> jobs.get(owner.getName());
        default -> null;
      };
    }
    return current;
  }

  private static OwnerReference controller(HasMetadata object) {
    List<OwnerReference> owners = list(object.getMetadata().getOwnerReferences());
    return owners.stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
        .orElse(owners.size() == 1 ? owners.get(0) : null);
  }

  private static Set<String> readingServiceAccounts(String namespace, List<SecretReader> readers) {
    Set<String> accounts = new HashSet<>();
    for (SecretReader r : readers) {
      if ("ServiceAccount".equals(r.getKind()) && namespace.equals(r.getNamespace())) {
        accounts.add(r.getName());
      }
    }
    return accounts;
  }

  // --- readers

  private static List<SecretReader> readers(String namespace, String secret, Reads objects) {
    Map<String, Role> roles = byName(objects.roles().stream()
        .filter(r -> namespace.equals(r.getMetadata().getNamespace())).toList());
    Map<String, ClusterRole> clusterRoles = byName(objects.clusterRoles());
    Map<String, SecretReader> found = new LinkedHashMap<>();
    for (RoleBinding binding : objects.roleBindings()) {
      if (!namespace.equals(binding.getMetadata().getNamespace())) {
        continue;
      }
      RoleRef ref = binding.getRoleRef();
      List<PolicyRule> rules = ref == null ? List.of()
          : "Role".equals(ref.getKind()) ? rules(roles.get(ref.getName()))
          : "ClusterRole".equals(ref.getKind()) ? clusterRules(ref.getName(), clusterRoles) : List.of();
      add(found, "RoleBinding/" + binding.getMetadata().getName(), ref, namespace, binding.getSubjects(),
          verbs(rules, secret), 0);
    }
    for (ClusterRoleBinding binding : objects.clusterRoleBindings()) {
      RoleRef ref = binding.getRoleRef();
      List<PolicyRule> rules = ref == null || !"ClusterRole".equals(ref.getKind()) ? List.of()
          : clusterRules(ref.getName(), clusterRoles);
      add(found, "ClusterRoleBinding/" + binding.getMetadata().getName(), ref, null, binding.getSubjects(),
          verbs(rules, secret), binding.getMetadata().getName().startsWith("system:") ? 2 : 1);
    }
    return found.values().stream().sorted(Comparator.comparingInt(SecretExposure::rank)
        .thenComparing(SecretReader::getBinding).thenComparing(SecretReader::getKind)
        .thenComparing(SecretReader::getName)).toList();
  }

  private static int rank(SecretReader r) {
    return r.getBinding().startsWith("RoleBinding/") ? 0 : r.getBinding().startsWith("ClusterRoleBinding/system:") ? 2 : 1;
  }

  private static void add(Map<String, SecretReader> found, String binding, RoleRef ref, String bindingNamespace,
      List<Subject> subjects, List<String> verbs, int rank) {
    if (verbs.isEmpty()) {
      return;
    }
    for (Subject s : list(subjects)) {
      if (s.getKind() == null || s.getName() == null) {
        continue;
      }
      String ns = "ServiceAccount".equals(s.getKind())
          ? (s.getNamespace() == null || s.getNamespace().isEmpty() ? bindingNamespace : s.getNamespace()) : null;
      SecretReader reader = new SecretReader(s.getKind(), s.getName(), ns, binding,
          ref.getKind() + "/" + ref.getName(), verbs);
      found.putIfAbsent(s.getKind() + "/" + ns + "/" + s.getName() + "/" + binding, reader);
    }
  }

  /** The reading verbs (get, list, watch, or * alone) these rules grant on Secret {@code secret}; empty: none. */
  static List<String> verbs(List<PolicyRule> rules, String secret) {
    Set<String> granted = new TreeSet<>(Comparator.comparingInt(v -> v.equals("*") ? -1 : READ_VERBS.indexOf(v)));
    for (PolicyRule rule : rules) {
      boolean group = list(rule.getApiGroups()).stream().anyMatch(g -> g.isEmpty() || g.equals("*"));
      boolean resource = list(rule.getResources()).stream().anyMatch(r -> r.equals("secrets") || r.equals("*"));
      boolean named = list(rule.getResourceNames()).isEmpty() || rule.getResourceNames().contains(secret);
      if (!group || !resource || !named) {
        continue;
      }
      for (String verb : list(rule.getVerbs())) {
        if (verb.equals("*") || READ_VERBS.contains(verb)) {
          granted.add(verb);
        }
      }
    }
    return granted.contains("*") ? List.of("*") : new ArrayList<>(granted);
  }

  private static List<PolicyRule> rules(Role role) {
    return role == null ? List.of() : list(role.getRules());
  }

  /** A ClusterRole's rules and, when it aggregates, the rules of every ClusterRole its selectors pick (transitively). */
  static List<PolicyRule> clusterRules(String name, Map<String, ClusterRole> clusterRoles) {
    List<PolicyRule> rules = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(name));
    while (!todo.isEmpty()) {
      String next = todo.pop();
      ClusterRole role = clusterRoles.get(next);
      if (role == null || !seen.add(next)) {
        continue;
      }
      rules.addAll(list(role.getRules()));
      if (role.getAggregationRule() == null) {
        continue;
      }
      for (var selector : list(role.getAggregationRule().getClusterRoleSelectors())) {
        NamespaceSelector compiled;
        try {
          compiled = NamespaceSelector.of(selector);
        } catch (RuntimeException e) {
          continue; // the API server refuses such a selector; nothing it could pick
        }
        clusterRoles.values().stream()
            .filter(r -> compiled.matches(r.getMetadata().getLabels() == null ? Map.of() : r.getMetadata().getLabels()))
            .map(r -> r.getMetadata().getName()).sorted().forEach(todo::add);
      }
    }
    return rules;
  }

  private static <T extends HasMetadata> Map<String, T> byName(List<T> objects) {
    Map<String, T> map = new HashMap<>();
    objects.forEach(o -> map.put(o.getMetadata().getName(), o));
    return map;
  }

  private static <T> List<T> list(List<T> list) {
    return list == null ? List.of() : list.stream().filter(java.util.Objects::nonNull).toList();
  }
}
