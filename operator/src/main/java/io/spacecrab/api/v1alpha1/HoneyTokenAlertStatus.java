package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;

/** Delivery of the alert to its sinks (an outbox: what was sent, what is due). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneyTokenAlertStatus extends ConditionedStatus {
  @JsonPropertyDescription("One entry per matching AlertSink.")
  private List<Delivery> deliveries = new ArrayList<>();
  @JsonPropertyDescription("Where the key was exposed: the workloads that could read the token's Secret and the subjects RBAC lets read it, read once when the operator first handled the alert (before its first notification).")
  private AlertExposure exposure;

  @Override
  @JsonPropertyDescription("Delivered: True when every matching sink has the latest notification; False with reason DeliveryFailed when one gave up.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

  public List<Delivery> getDeliveries() {
    return deliveries;
  }

  public void setDeliveries(List<Delivery> deliveries) {
    this.deliveries = deliveries;
  }

  public AlertExposure getExposure() {
    return exposure;
  }

  public void setExposure(AlertExposure exposure) {
    this.exposure = exposure;
  }
}
