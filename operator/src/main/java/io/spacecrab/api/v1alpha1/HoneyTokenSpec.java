package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

/** What the user declares: where the key goes and what it means when it is used. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(oldSelf.userName) || (has(self.userName) && self.userName == oldSelf.userName)",
    message = "userName cannot change once set")
@ValidationRule(value = "!has(oldSelf.userName) || has(self.userName)",
    message = "userName cannot be removed once set")
public class HoneyTokenSpec {

  @Required
  @JsonPropertyDescription("The Secret in this namespace that receives the access key.")
  private SecretTarget secret;

  @Size(max = 256)
  @JsonPropertyDescription("Who to call when this key is used: a team, a person or a rota. Copied into every alert.")
  private String owner;

  @Size(max = 1024)
  @JsonPropertyDescription("Where the key is planted, in words (for example 'CI runner env of build-42'). Copied into every alert.")
  private String location;

  @Size(max = 4096)
  @JsonPropertyDescription("Free text for whoever handles an alert. Copied into every alert.")
  private String notes;

  @Pattern("^[A-Za-z0-9+=,.@_-]{1,64}$")
  @JsonPropertyDescription("IAM user name to use instead of the generated one. It cannot change once set; avoid names that say what the key is.")
  private String userName;

  @JsonPropertyDescription("RFC 3339 time after which the key is deleted (per deletionPolicy) and the token reports Expired.")
  private String expiresAt;

  @Default("Delete")
  @SchemaFrom(type = DeletionPolicy.class)
  @JsonPropertyDescription("Delete (default) removes the IAM user and key when this object is deleted; Retain keeps them alive as a tripwire.")
  private String deletionPolicy;

  public SecretTarget getSecret() {
    return secret;
  }

  public void setSecret(SecretTarget secret) {
    this.secret = secret;
  }

  public String getOwner() {
    return owner;
  }

  public void setOwner(String owner) {
    this.owner = owner;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getNotes() {
    return notes;
  }

  public void setNotes(String notes) {
    this.notes = notes;
  }

  public String getUserName() {
    return userName;
  }

  public void setUserName(String userName) {
    this.userName = userName;
  }

  public String getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(String expiresAt) {
    this.expiresAt = expiresAt;
  }

  public String getDeletionPolicy() {
    return deletionPolicy;
  }

  public void setDeletionPolicy(String deletionPolicy) {
    this.deletionPolicy = deletionPolicy;
  }

  /**
   * The deletion policy with its default applied (an API server that enforces no schema applies
   * no default either); a value that is neither Delete nor Retain counts as the default, Delete, so
   * that a token with a bad spec can still be deleted (the token reports InvalidSpec meanwhile).
   */
  public DeletionPolicy effectiveDeletionPolicy() {
    return DeletionPolicy.parse(deletionPolicy).orElse(DeletionPolicy.Delete);
  }
}
