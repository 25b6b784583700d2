package io.spacecrab.token;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.api.v1alpha1.TemplateMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The HoneyToken a ClusterHoneyToken wants in one namespace, and whether an existing one matches it. */
final class ChildToken {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ChildToken() {}

  /** A new child for this namespace: template spec, template labels and annotations, the ownership label. */
  static HoneyToken desired(ClusterHoneyToken parent, String namespace) {
    HoneyToken child = new HoneyToken();
    child.setMetadata(new ObjectMetaBuilder()
        .withName(ChildTokenName.of(parent.getMetadata().getName()))
        .withNamespace(namespace)
        .withLabels(labels(parent))
        .withAnnotations(annotations(parent))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(parent.getApiVersion())
            .withKind(parent.getKind()).withName(parent.getMetadata().getName())
            .withUid(parent.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(false).build())
        .build());
    child.setSpec(specCopy(parent));
    return child;
  }

  /** True when the child carries the ownership label of this parent (it was created by it). */
  static boolean ownedBy(HoneyToken child, ClusterHoneyToken parent) {
    Map<String, String> labels = child.getMetadata().getLabels();
    return labels != null && parent.getMetadata().getName().equals(labels.get(SpaceCrab.CLUSTER_TOKEN_LABEL));
  }

  /** True when the child's spec equals the template's and it has every template label and annotation. */
  static boolean upToDate(HoneyToken child, ClusterHoneyToken parent) {
    return JSON.valueToTree(child.getSpec()).equals(JSON.valueToTree(parent.getSpec().getTemplate().getSpec()))
        && contains(child.getMetadata().getLabels(), labels(parent))
        && contains(child.getMetadata().getAnnotations(), annotations(parent));
  }

  /** The existing child brought up to date with the template; its other metadata (finalizers, version) kept. */
  static HoneyToken rolledOut(HoneyToken child, ClusterHoneyToken parent) {
    HoneyToken updated = JSON.convertValue(child, HoneyToken.class);
    Map<String, String> labels = new LinkedHashMap<>(orEmpty(child.getMetadata().getLabels()));
    labels.putAll(labels(parent));
    Map<String, String> annotations = new LinkedHashMap<>(orEmpty(child.getMetadata().getAnnotations()));
    annotations.putAll(annotations(parent));
    updated.getMetadata().setLabels(labels);
    updated.getMetadata().setAnnotations(annotations);
    updated.setSpec(specCopy(parent));
    updated.setStatus(null);
    return updated;
  }

  private static Map<String, String> labels(ClusterHoneyToken parent) {
    TemplateMetadata metadata = parent.getSpec().getTemplate().getMetadata();
    Map<String, String> labels = new LinkedHashMap<>(metadata == null ? Map.of() : orEmpty(metadata.getLabels()));
    labels.put(SpaceCrab.CLUSTER_TOKEN_LABEL, parent.getMetadata().getName());
    return labels;
  }

  private static Map<String, String> annotations(ClusterHoneyToken parent) {
    TemplateMetadata metadata = parent.getSpec().getTemplate().getMetadata();
    return new LinkedHashMap<>(metadata == null ? Map.of() : orEmpty(metadata.getAnnotations()));
  }

  private static HoneyTokenSpec specCopy(ClusterHoneyToken parent) {
    return JSON.convertValue(parent.getSpec().getTemplate().getSpec(), HoneyTokenSpec.class);
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> wanted) {
    Map<String, String> present = orEmpty(actual);
    return wanted.entrySet().stream().allMatch(e -> Objects.equals(present.get(e.getKey()), e.getValue()));
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
