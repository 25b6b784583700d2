package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * Whether the sink can deliver. Never holds credentials. Delivery facts live on each alert's
 * status.deliveries and in the metrics, not here: a write per delivery would wake every alert.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertSinkStatus extends ObservedStatus {
  @Override
  @JsonPropertyDescription("Ready: the spec is valid and the Secret exists with what this type needs (a usable destination URL, a valid signing secret). Reasons otherwise: InvalidSpec, SecretMissing, SecretKeyMissing, InvalidDestination, InvalidSecret (the sink delivers nothing), InvalidKnownScanners (the sink delivers, suppressing nothing).")
  public List<Condition> getConditions() {
    return super.getConditions();
  }
}
