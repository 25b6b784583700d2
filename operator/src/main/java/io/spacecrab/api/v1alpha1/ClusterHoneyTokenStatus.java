package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** How far the rollout got: counts, the first failing namespaces, conditions. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterHoneyTokenStatus extends ObservedStatus {
  /** At most this many failing namespaces are listed. */
  public static final int MAX_FAILING = 20;

  @JsonPropertyDescription("How many namespaces are selected (each should hold one token).")
  private Integer desired;

  @JsonPropertyDescription("How many selected namespaces hold a Ready token.")
  private Integer ready;

  @JsonPropertyDescription("How many selected namespaces hold a token that reports a failure, or one this object may not adopt.")
  private Integer failed;

  @Size(max = MAX_FAILING)
  @JsonPropertyDescription("The first 20 failing namespaces (sorted by name) with their reasons.")
  private List<FailingNamespace> failingNamespaces;

  @Override
  @JsonPropertyDescription("Ready: True when every selected namespace has a Ready token. Reasons are CamelCase.")
  public List<Condition> getConditions() {
    return super.getConditions();
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
