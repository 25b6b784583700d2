package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** How far the rollout got: counts, the first failing namespaces, conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterHoneyTokenStatus {
  /** At most this many failing namespaces are listed. */
  public static final int MAX_FAILING = 20;

  @JsonPropertyDescription("Ready: True when every selected namespace has a Ready token. Reasons are CamelCase.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("How many namespaces are selected (each should hold one token).")
  private Integer desired;

  @JsonPropertyDescription("How many selected namespaces hold a Ready token.")
  private Integer ready;

  @JsonPropertyDescription("How many selected namespaces hold a token that reports a failure, or one this object may not adopt.")
  private Integer failed;

  @Size(max = MAX_FAILING)
  @JsonPropertyDescription("The first 20 failing namespaces (sorted by name) with their reasons.")
  private List<FailingNamespace> failingNamespaces;

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public Integer getDesired() {
    return desired;
  }

  public void setDesired(Integer desired) {
    this.desired = desired;
  }

  public Integer getReady() {
    return ready;
  }

  public void setReady(Integer ready) {
    this.ready = ready;
  }

  public Integer getFailed() {
    return failed;
  }

  public void setFailed(Integer failed) {
    this.failed = failed;
  }

  public List<FailingNamespace> getFailingNamespaces() {
    return failingNamespaces;
  }

  public void setFailingNamespaces(List<FailingNamespace> failingNamespaces) {
    this.failingNamespaces = failingNamespaces;
  }
}
