package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the token's key was exposed when the alert was first handled: the workloads that could
 * read its Secret and the subjects RBAC lets read it. Computed once per alert, before its first
 * notification.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertExposure {
  /** The exposure was read. */
  public static final String KNOWN = "Known";
  /** The reads failed or the token is gone: the lists are empty, reason and message say why. */
  public static final String UNKNOWN = "Unknown";

  @JsonPropertyDescription("Known: the lists below were read from the cluster at observedAt. Unknown: they could not be (reason, message say why) and are empty.")
  private String state;
  @JsonPropertyDescription("For Unknown, why: TokenNotFound, SecretUnknown, Forbidden, Timeout or ReadFailed.")
  private String reason;
  @JsonPropertyDescription("For Unknown, what failed, for a human.")
  private String message;
  @JsonPropertyDescription("When the exposure was read (RFC 3339): when the operator first handled the alert. It is not recomputed when the incident grows.")
  private String observedAt;
  @JsonPropertyDescription("Namespace of the token's Secret.")
  private String secretNamespace;
  @JsonPropertyDescription("Name of the token's Secret.")
  private String secretName;
  @JsonPropertyDescription("Workloads in the Secret's namespace that could read it (at most 20, those referring to the Secret itself first): Pods mapped up to their owning Deployment, StatefulSet, DaemonSet, Job or CronJob, and workloads whose pod template refers to it.")
  private List<ExposedWorkload> workloads = new ArrayList<>();
  @JsonPropertyDescription("How many more workloads could read the Secret than are listed.")
  private Integer workloadsTruncated;
  @JsonPropertyDescription("Subjects that RoleBindings in the Secret's namespace and ClusterRoleBindings grant get, list or watch on the Secret (at most 20: RoleBindings first, then ClusterRoleBindings, built-in system: ones last).")
  private List<SecretReader> readers = new ArrayList<>();
  @JsonPropertyDescription("How many more (subject, binding) pairs grant read access than are listed.")
  private Integer readersTruncated;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getObservedAt() {
    return observedAt;
  }

  public void setObservedAt(String observedAt) {
    this.observedAt = observedAt;
  }

  public String getSecretNamespace() {
    return secretNamespace;
  }

  public void setSecretNamespace(String secretNamespace) {
    this.secretNamespace = secretNamespace;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public List<ExposedWorkload> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<ExposedWorkload> workloads) {
    this.workloads = workloads;
  }

  public Integer getWorkloadsTruncated() {
    return workloadsTruncated;
  }

  public void setWorkloadsTruncated(Integer workloadsTruncated) {
    this.workloadsTruncated = workloadsTruncated;
  }

  public List<SecretReader> getReaders() {
    return readers;
  }

  public void setReaders(List<SecretReader> readers) {
    this.readers = readers;
  }

  public Integer getReadersTruncated() {
    return readersTruncated;
  }

  public void setReadersTruncated(Integer readersTruncated) {
    this.readersTruncated = readersTruncated;
  }
}
