package io.spacecrab.token;

import com.fasterxml.jackson.databind.JsonNode;
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

/**
 * The HoneyToken a ClusterHoneyToken wants for each selected namespace, and whether an existing one
 * matches it. Children live in the security namespace, out of tenants' sight, and plant their
 * Secret in the selected namespace through {@code spec.secret.namespace}. Built once per reconcile,
 * so that comparing thousands of children does not re-read the template.
 */
final class ChildToken {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ClusterHoneyToken parent;
  private final String home;
  private final Map<String, String> labels;
  private final Map<String, String> annotations;
  private final JsonNode spec;
  /** The value of the template-keys annotation this template gives its children. */
  private final String templateKeys;

  private ChildToken(ClusterHoneyToken parent, String home) {
    this.parent = parent;
    this.home = home;
    TemplateMetadata metadata = parent.getSpec().getTemplate().getMetadata();
    Map<String, String> wantedLabels = new LinkedHashMap<>(metadata == null ? Map.of() : orEmpty(metadata.getLabels()));
    wantedLabels.put(SpaceCrab.CLUSTER_TOKEN_LABEL, parent.getMetadata().getName());
    this.labels = Map.copyOf(wantedLabels);
    Map<String, String> wantedAnnotations = new LinkedHashMap<>(
        metadata == null ? Map.of() : orEmpty(metadata.getAnnotations()));
    wantedAnnotations.remove(SpaceCrab.TEMPLATE_KEYS_ANNOTATION);
    this.templateKeys = TemplateKeys.of(wantedLabels.keySet(), wantedAnnotations.keySet()).text();
    wantedAnnotations.put(SpaceCrab.TEMPLATE_KEYS_ANNOTATION, templateKeys);
    this.annotations = Map.copyOf(wantedAnnotations);
    this.spec = JSON.valueToTree(parent.getSpec().getTemplate().getSpec());
  }

  /** The children this parent's template describes, living in namespace {@code home}. */
  static ChildToken of(ClusterHoneyToken parent, String home) {
    return new ChildToken(parent, home);
  }

  /** The name of this parent's child for one selected namespace (unique per parent and namespace). */
  static String name(ClusterHoneyToken parent, String targetNamespace) {
    // namespace names hold no dots, so "<parent>.<namespace>" splits one way only
    return ChildTokenName.of(parent.getMetadata().getName() + "." + targetNamespace);
  }

  /** The namespace a child plants its Secret in; null when its spec names none. */
  static String targetNamespace(HoneyToken child) {
    return child.getSpec() == null || child.getSpec().getSecret() == null ? null
        : child.getSpec().getSecret().getNamespace();
  }

  /** True when the child carries the ownership label of this parent (it was created by it). */
  static boolean ownedBy(HoneyToken child, ClusterHoneyToken parent) {
    Map<String, String> childLabels = child.getMetadata().getLabels();
    return childLabels != null
        && parent.getMetadata().getName().equals(childLabels.get(SpaceCrab.CLUSTER_TOKEN_LABEL));
  }

  /** A new child for this selected namespace: template spec, template labels and annotations, the ownership label. */
  HoneyToken forNamespace(String targetNamespace) {
    return forNamespace(targetNamespace, null);
  }

  /**
   * As above; when {@code earlier} (a child an earlier version created in that namespace itself)
   * holds an IAM user, the new child takes its user and key over instead of issuing new ones.
   */
  HoneyToken forNamespace(String targetNamespace, HoneyToken earlier) {
    HoneyToken child = new HoneyToken();
    child.setMetadata(new ObjectMetaBuilder()
        .withName(name(parent, targetNamespace))
        .withNamespace(home)
        .withLabels(new LinkedHashMap<>(labels))
        .withAnnotations(new LinkedHashMap<>(annotations))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion(parent.getApiVersion())
            .withKind(parent.getKind()).withName(parent.getMetadata().getName())
            .withUid(parent.getMetadata().getUid()).withController(true).withBlockOwnerDeletion(false).build())
        .build());
    child.setSpec(specFor(targetNamespace));
    if (earlier != null && earlier.getStatus() != null && earlier.getStatus().getUserName() != null) {
      child.getMetadata().getAnnotations().put(SpaceCrab.ADOPT_USER_ANNOTATION, earlier.getStatus().getUserName());
      child.getMetadata().getAnnotations().put(SpaceCrab.ADOPT_UID_ANNOTATION, earlier.getMetadata().getUid());
    }
    return child;
  }

  /**
   * True when the child's spec equals the template's and it has every template label and
   * annotation (the template-keys annotation included, so a key dropped from the template makes
   * the child out of date).
   */
  boolean upToDate(HoneyToken child) {
    return JSON.valueToTree(specFor(targetNamespace(child))).equals(JSON.valueToTree(child.getSpec()))
        && contains(child.getMetadata().getLabels(), labels)
        && contains(child.getMetadata().getAnnotations(), annotations);
  }

  /**
   * The existing child brought up to date with the template: template keys set, keys an earlier
   * template set and this one no longer has removed, anything else (added by someone else,
   * finalizers, version) kept.
   */
  HoneyToken rolledOut(HoneyToken child) {
    HoneyToken updated = JSON.convertValue(child, HoneyToken.class);
    TemplateKeys before = TemplateKeys.parse(orEmpty(child.getMetadata().getAnnotations())
        .get(SpaceCrab.TEMPLATE_KEYS_ANNOTATION));
    Map<String, String> newLabels = new LinkedHashMap<>(orEmpty(child.getMetadata().getLabels()));
    newLabels.keySet().removeIf(k -> before.labels().contains(k) && !labels.containsKey(k));
    newLabels.putAll(labels);
    Map<String, String> newAnnotations = new LinkedHashMap<>(orEmpty(child.getMetadata().getAnnotations()));
    newAnnotations.keySet().removeIf(k -> before.annotations().contains(k) && !annotations.containsKey(k));
    newAnnotations.putAll(annotations);
    updated.getMetadata().setLabels(newLabels);
    updated.getMetadata().setAnnotations(newAnnotations);
    updated.setSpec(specFor(targetNamespace(child)));
    updated.setStatus(null);
    return updated;
  }

  /** The template's spec with the Secret planted in {@code targetNamespace}. */
  private HoneyTokenSpec specFor(String targetNamespace) {
    HoneyTokenSpec copy = JSON.convertValue(spec, HoneyTokenSpec.class);
    copy.getSecret().setNamespace(targetNamespace);
    return copy;
  }

  private static boolean contains(Map<String, String> actual, Map<String, String> wanted) {
    Map<String, String> present = orEmpty(actual);
    return wanted.entrySet().stream().allMatch(e -> Objects.equals(present.get(e.getKey()), e.getValue()));
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
