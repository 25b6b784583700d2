package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Which HoneyToken an alert is about (the token may be deleted by now). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TokenRef {
  @JsonPropertyDescription("Namespace of the HoneyToken: where the key was planted.")
  private String namespace;
  @JsonPropertyDescription("Name of the HoneyToken.")
  private String name;
  @JsonPropertyDescription("UID of the HoneyToken (distinguishes a re-created token of the same name).")
  private String uid;

  public TokenRef() {}

  public TokenRef(String namespace, String name, String uid) {
    this.namespace = namespace;
    this.name = name;
    this.uid = uid;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getUid() {
    return uid;
  }

  public void setUid(String uid) {
    this.uid = uid;
  }
}
