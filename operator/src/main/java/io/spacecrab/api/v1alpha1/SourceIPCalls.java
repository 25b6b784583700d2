package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many calls of an incident came from one source address. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SourceIPCalls {
  @JsonPropertyDescription("The source IP address (attacker-controlled text).")
  private String sourceIP;
  @JsonPropertyDescription("Calls from this address. Exact while the incident has seen at most 20 addresses; after that an address that came in late may include up to the count of the one it displaced.")
  private Long calls;

  public SourceIPCalls() {}

  public SourceIPCalls(String sourceIP, long calls) {
    this.sourceIP = sourceIP;
    this.calls = calls;
  }

  public String getSourceIP() {
    return sourceIP;
  }

  public void setSourceIP(String sourceIP) {
    this.sourceIP = sourceIP;
  }

  public Long getCalls() {
    return calls;
  }

  public void setCalls(Long calls) {
    this.calls = calls;
  }
}
