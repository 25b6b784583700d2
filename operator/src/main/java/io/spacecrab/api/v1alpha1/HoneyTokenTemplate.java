package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The HoneyToken a ClusterHoneyToken stamps out: its labels, annotations and spec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneyTokenTemplate {

  @JsonPropertyDescription("Labels and annotations copied onto every HoneyToken created from this template.")
  private TemplateMetadata metadata;

  @Required
  @JsonPropertyDescription("The spec of every HoneyToken created from this template.")
  private HoneyTokenSpec spec;

  public TemplateMetadata getMetadata() {
    return metadata;
  }

  public void setMetadata(TemplateMetadata metadata) {
    this.metadata = metadata;
  }

  public HoneyTokenSpec getSpec() {
    return spec;
  }

  public void setSpec(HoneyTokenSpec spec) {
    this.spec = spec;
  }
}
