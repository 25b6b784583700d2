package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** A subject that RBAC lets read a token's Secret, and through which binding. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretReader {
  @JsonPropertyDescription("ServiceAccount, User or Group.")
  private String kind;
  @JsonPropertyDescription("Name of the subject.")
  private String name;
  @JsonPropertyDescription("Namespace of a ServiceAccount.")
  private String namespace;
  @JsonPropertyDescription("The binding that grants it, as RoleBinding/<name> (in the Secret's namespace) or ClusterRoleBinding/<name>.")
  private String binding;
  @JsonPropertyDescription("The role the binding refers to, as Role/<name> or ClusterRole/<name>.")
  private String role;
  @JsonPropertyDescription("The reading verbs granted on the Secret: get, list, watch or *.")
  private List<String> verbs = new ArrayList<>();

  public SecretReader() {}

  public SecretReader(String kind, String name, String namespace, String binding, String role, List<String> verbs) {
    this.kind = kind;
    this.name = name;
    this.namespace = namespace;
    this.binding = binding;
    this.role = role;
    this.verbs = verbs;
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

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getBinding() {
    return binding;
  }

  public void setBinding(String binding) {
    this.binding = binding;
  }

  public String getRole() {
    return role;
  }

  public void setRole(String role) {
    this.role = role;
  }

  public List<String> getVerbs() {
    return verbs;
  }

  public void setVerbs(List<String> verbs) {
    this.verbs = verbs;
  }
}
