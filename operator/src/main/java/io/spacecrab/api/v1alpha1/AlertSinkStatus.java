package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Whether the sink can deliver, and its last delivery. Never holds credentials. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertSinkStatus {
  @JsonPropertyDescription("Ready: the Secret exists and has the keys this type needs.")
  private List<Condition> conditions = new ArrayList<>();
  @JsonPropertyDescription("The metadata.generation this status describes.")
  private Long observedGeneration;
  @JsonPropertyDescription("When a notification was last delivered through this sink.")
  private String lastDeliveryTime;
  @JsonPropertyDescription("Outcome of the last delivery attempt: Delivered, Retrying or Failed.")
  private String lastDeliveryOutcome;

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

  public String getLastDeliveryTime() {
    return lastDeliveryTime;
  }

  public void setLastDeliveryTime(String lastDeliveryTime) {
    this.lastDeliveryTime = lastDeliveryTime;
  }

  public String getLastDeliveryOutcome() {
    return lastDeliveryOutcome;
  }

  public void setLastDeliveryOutcome(String lastDeliveryOutcome) {
    this.lastDeliveryOutcome = lastDeliveryOutcome;
  }
}
