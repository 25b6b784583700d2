package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Map;

/** Labels and annotations of a templated HoneyToken. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TemplateMetadata {

  @JsonPropertyDescription("Labels put on every created HoneyToken (the ownership label is added by the operator).")
  private Map<String, String> labels;

  @JsonPropertyDescription("Annotations put on every created HoneyToken.")
  private Map<String, String> annotations;

  public Map<String, String> getLabels() {
    return labels;
  }

  public void setLabels(Map<String, String> labels) {
    this.labels = labels;
  }

  public Map<String, String> getAnnotations() {
    return annotations;
  }

  public void setAnnotations(Map<String, String> annotations) {
    this.annotations = annotations;
  }
}
