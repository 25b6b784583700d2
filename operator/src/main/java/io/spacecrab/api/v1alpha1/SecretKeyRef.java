package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A Secret in the same namespace. */
public class SecretKeyRef {
  @Required
  @JsonPropertyDescription("Name of the Secret.")
  private String name;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }
}
