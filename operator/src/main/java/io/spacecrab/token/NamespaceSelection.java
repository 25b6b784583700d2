package io.spacecrab.token;

import io.spacecrab.api.LabelNames;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.spacecrab.kube.InvalidSelectionException;
import io.spacecrab.kube.NamespaceSelector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which namespaces a ClusterHoneyToken covers: those its label selector matches plus those named
 * in {@code namespaces}, minus those named in {@code excludeNamespaces} (exclusion always wins),
 * minus namespaces being deleted. A null selector adds nothing, so a spec with only a
 * {@code namespaces} list covers exactly those; {@code namespaceSelector: {}} covers every
 * namespace. Only namespaces that exist are ever selected.
 */
public final class NamespaceSelection {
  private final NamespaceSelector selector;
  private final Set<String> included;
  private final Set<String> excluded;

  private NamespaceSelection(NamespaceSelector selector, Set<String> included, Set<String> excluded) {
    this.selector = selector;
    this.included = included;
    this.excluded = excluded;
  }

  /** The selection compiled; throws {@link InvalidSelectionException} naming every problem. Null lists are empty. */
  public static NamespaceSelection of(LabelSelector selector, Collection<String> namespaces,
      Collection<String> excludeNamespaces) {
    List<String> problems = problems(selector, namespaces, excludeNamespaces);
    if (!problems.isEmpty()) {
      throw new InvalidSelectionException(problems);
    }
    return new NamespaceSelection(NamespaceSelector.of(selector), copy(namespaces), copy(excludeNamespaces));
  }

  /**
   * Every problem, as sentences naming {@code spec.namespaceSelector}, {@code spec.namespaces} and
   * {@code spec.excludeNamespaces}; empty when valid. Selecting nothing at all (no selector and no
   * namespaces) is a problem, since it is never what the author meant.
   */
  public static List<String> problems(LabelSelector selector, Collection<String> namespaces,
      Collection<String> excludeNamespaces) {
    List<String> problems = new ArrayList<>(NamespaceSelector.problems(selector, "spec.namespaceSelector"));
    namesProblems(namespaces, "spec.namespaces", problems);
    namesProblems(excludeNamespaces, "spec.excludeNamespaces", problems);
    if (selector == null && (namespaces == null || namespaces.isEmpty())) {
      problems.add("spec.namespaceSelector and spec.namespaces are both empty, so no namespace is selected;"
          + " set namespaceSelector to {} to select every namespace");
    }
    return problems;
  }

  private static void namesProblems(Collection<String> names, String field, List<String> problems) {
    if (names == null) {
      return;
    }
    int i = 0;
    for (String name : names) {
      if (!LabelNames.isDnsLabel(name)) {
        problems.add(field + "[" + i + "] " + (name == null ? "is missing"
            : "'" + name + "' is not a namespace name (at most 63 lower-case letters, digits and '-')"));
      }
      i++;
    }
  }

  private static Set<String> copy(Collection<String> names) {
    return names == null ? Set.of() : Set.copyOf(names);
  }

  /** True when this namespace should hold a token now: selected, not excluded, not terminating. */
  public boolean selects(Namespace namespace) {
    if (namespace == null || namespace.getMetadata() == null) {
      return false;
    }
    var metadata = namespace.getMetadata();
    String name = metadata.getName();
    if (name == null || excluded.contains(name) || metadata.getDeletionTimestamp() != null) {
      return false;
    }
    return included.contains(name) || selector.matches(metadata.getLabels());
  }

  /** The sorted names of the given namespaces that {@link #selects(Namespace)} accepts. */
  public SortedSet<String> desiredNamespaces(Collection<Namespace> namespaces) {
    SortedSet<String> desired = new TreeSet<>();
    for (Namespace namespace : namespaces) {
      if (selects(namespace)) {
        desired.add(namespace.getMetadata().getName());
      }
    }
    return desired;
  }
}
