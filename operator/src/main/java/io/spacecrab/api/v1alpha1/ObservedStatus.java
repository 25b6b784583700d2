package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.spacecrab.api.Conditions;
import java.time.Instant;

/** The status of an object whose spec the operator acts on: conditions and the generation they describe. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public abstract class ObservedStatus extends ConditionedStatus {
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;

  /**
   * Sets the Ready condition and observedGeneration to this generation; Ready's lastTransitionTime
   * moves only when it flips.
   */
  public void setReadyCondition(boolean ready, String reason, String message, Long generation, Instant now) {
    setConditions(Conditions.set(getConditions(), Conditions.READY, ready, reason, message, generation, now));
    setObservedGeneration(generation);
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }
}
