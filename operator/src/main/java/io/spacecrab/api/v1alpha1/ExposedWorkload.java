package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** A workload that could read a token's Secret, and how. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExposedWorkload {
  @JsonPropertyDescription("Deployment, StatefulSet, DaemonSet, Job, CronJob, ReplicaSet (without a Deployment) or Pod (without a controller).")
  private String kind;
  @JsonPropertyDescription("Name of the workload, in the Secret's namespace.")
  private String name;
  @JsonPropertyDescription("How its pods reach the Secret: volume, projected (a projected volume source), env (valueFrom.secretKeyRef), envFrom, serviceAccount (its ServiceAccount may read the Secret through RBAC).")
  private List<String> via = new ArrayList<>();
  @JsonPropertyDescription("The pods' ServiceAccount.")
  private String serviceAccount;

  public ExposedWorkload() {}

  public ExposedWorkload(String kind, String name, List<String> via, String serviceAccount) {
    this.kind = kind;
    this.name = name;
    this.via = via;
    this.serviceAccount = serviceAccount;
  }

  public String getKind() {
    return kind;
  }

  public void setKind(String kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getVia() {
    return via;
  }

  public void setVia(List<String> via) {
    this.via = via;
  }

  public String getServiceAccount() {
    return serviceAccount;
  }

  public void setServiceAccount(String serviceAccount) {
    this.serviceAccount = serviceAccount;
  }
}
