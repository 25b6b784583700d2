package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** A namespace whose token is not Ready, and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FailingNamespace {

  @JsonPropertyDescription("The namespace.")
  private String namespace;

  @JsonPropertyDescription("CamelCase reason from the HoneyToken's Ready condition, or TokenConflict.")
  private String reason;

  @JsonPropertyDescription("What is wrong, in a sentence.")
  private String message;

  public FailingNamespace() {}

  public FailingNamespace(String namespace, String reason, String message) {
    this.namespace = namespace;
    this.reason = reason;
    this.message = message;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
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
}
