package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** Which namespaces get a token, and the HoneyToken each of them gets. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ClusterHoneyTokenSpec {

  @JsonPropertyDescription("Namespaces whose labels match get a token ({} matches every namespace). matchExpressions support In, NotIn, Exists and DoesNotExist.")
  private LabelSelector namespaceSelector;

  @JsonPropertyDescription("Namespaces that get a token whatever their labels.")
  private List<String> namespaces;

  @JsonPropertyDescription("Namespaces that never get a token, even when selected or listed.")
  private List<String> excludeNamespaces;

  @Required
  @JsonPropertyDescription("The HoneyToken created in each selected namespace. Changes roll out to every existing one.")
  private HoneyTokenTemplate template;

  public LabelSelector getNamespaceSelector() {
    return namespaceSelector;
  }

  public void setNamespaceSelector(LabelSelector namespaceSelector) {
    this.namespaceSelector = namespaceSelector;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getExcludeNamespaces() {
    return excludeNamespaces;
  }

  public void setExcludeNamespaces(List<String> excludeNamespaces) {
    this.excludeNamespaces = excludeNamespaces;
  }

  public HoneyTokenTemplate getTemplate() {
    return template;
  }

  public void setTemplate(HoneyTokenTemplate template) {
    this.template = template;
  }
}
