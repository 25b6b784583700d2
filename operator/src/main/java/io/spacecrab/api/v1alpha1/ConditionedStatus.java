package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/**
 * What every status holds: Kubernetes conditions, one per type (see {@code api.Conditions}). Each
 * status class describes its own condition types by overriding {@link #getConditions()} with a
 * {@code @JsonPropertyDescription}: that is what its CRD says.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ConditionedStatus {
  private List<Condition> conditions = new ArrayList<>();

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }
}
