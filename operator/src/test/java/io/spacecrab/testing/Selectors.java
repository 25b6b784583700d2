package io.spacecrab.testing;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Short builders for selectors, labels and namespaces in selection tests. */
public final class Selectors {
  private Selectors() {}

  /** Labels from "k=v,k2=v2"; "" is no labels, "k=" is an empty value. */
  public static Map<String, String> labels(String pairs) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (!pairs.isEmpty()) {
      for (String pair : pairs.split(",")) {
        String[] kv = pair.split("=", 2);
        labels.put(kv[0], kv[1]);
      }
    }
    return labels;
  }

  public static LabelSelectorRequirement expr(String key, String operator, String... values) {
    return new LabelSelectorRequirement(key, operator, values == null ? null : new ArrayList<>(Arrays.asList(values)));
  }

  public static LabelSelector selector(String matchLabels, LabelSelectorRequirement... expressions) {
    return new LabelSelector(new ArrayList<>(Arrays.asList(expressions)), labels(matchLabels));
  }

  public static Namespace namespace(String name, String labels) {
    return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels(labels)).endMetadata().build();
  }

  public static Namespace terminating(String name, String labels) {
    Namespace namespace = namespace(name, labels);
    namespace.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
    return namespace;
  }
}
