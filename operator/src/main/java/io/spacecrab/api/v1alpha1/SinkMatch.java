package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** Which alerts a sink takes. Every non-empty list must match. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SinkMatch {
  @JsonPropertyDescription("Token namespaces; empty means any.")
  private List<String> namespaces = new ArrayList<>();

  @JsonPropertyDescription("Token owners; empty means any.")
  private List<String> owners = new ArrayList<>();

  @JsonPropertyDescription("Label selector over the token's labels (matchLabels, matchExpressions: In, NotIn, Exists, DoesNotExist).")
  private io.fabric8.kubernetes.api.model.LabelSelector tokenLabels;

  @JsonPropertyDescription("true: this sink also takes pipeline notices (reason PipelineDown: the operator's self-test saw no use through an intake path within its deadline; resolved when it recovers), whatever the lists above say. Absent or false: it takes none.")
  private Boolean pipelineNotices;

  public Boolean getPipelineNotices() {
    return pipelineNotices;
  }

  public void setPipelineNotices(Boolean pipelineNotices) {
    this.pipelineNotices = pipelineNotices;
  }

  public io.fabric8.kubernetes.api.model.LabelSelector getTokenLabels() {
    return tokenLabels;
  }

  public void setTokenLabels(io.fabric8.kubernetes.api.model.LabelSelector tokenLabels) {
    this.tokenLabels = tokenLabels;
  }

  public List<String> getNamespaces() {
    return namespaces;
  }

  public void setNamespaces(List<String> namespaces) {
    this.namespaces = namespaces;
  }

  public List<String> getOwners() {
    return owners;
  }

  public void setOwners(List<String> owners) {
    this.owners = owners;
  }
}
