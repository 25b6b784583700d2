package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator observed and did. Never holds key material. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneyTokenStatus extends ObservedStatus {

  @JsonPropertyDescription("The id (not the secret) of the access key in the Secret.")
  private String accessKeyId;

  @JsonPropertyDescription("The IAM user that owns the key.")
  private String userName;

  @JsonPropertyDescription("The Secret that holds the key.")
  private String secretName;

  @JsonPropertyDescription("The namespace of that Secret.")
  private String secretNamespace;

  @JsonPropertyDescription("The uid of that Secret, as the operator created it: how the operator knows the Secret is its own.")
  private String secretUid;

  @JsonPropertyDescription("When the current key was issued (RFC 3339).")
  private String issuedAt;

  @JsonPropertyDescription("When the key was last seen in use (RFC 3339), set by the detector.")
  private String lastTriggeredAt;

  @Override
  @JsonPropertyDescription("Ready (always), Triggered (once used). Reasons are CamelCase.")
  public List<Condition> getConditions() {
    return super.getConditions();
  }

  public String getAccessKeyId() {
    return accessKeyId;
  }

  public void setAccessKeyId(String accessKeyId) {
    this.accessKeyId = accessKeyId;
  }

  public String getUserName() {
    return userName;
  }

  public void setUserName(String userName) {
    this.userName = userName;
  }

  public String getSecretName() {
    return secretName;
  }

  public void setSecretName(String secretName) {
    this.secretName = secretName;
  }

  public String getSecretNamespace() {
    return secretNamespace;
  }

  public void setSecretNamespace(String secretNamespace) {
    this.secretNamespace = secretNamespace;
  }

  public String getSecretUid() {
    return secretUid;
  }

  public void setSecretUid(String secretUid) {
    this.secretUid = secretUid;
  }

  public String getIssuedAt() {
    return issuedAt;
  }

  public void setIssuedAt(String issuedAt) {
    this.issuedAt = issuedAt;
  }

  public String getLastTriggeredAt() {
    return lastTriggeredAt;
  }

  public void setLastTriggeredAt(String lastTriggeredAt) {
    this.lastTriggeredAt = lastTriggeredAt;
  }
}
