package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** How many calls of an incident came from one source address with one user agent (exact). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertCaller {
  @JsonPropertyDescription("Source address of the calls as CloudTrail recorded it (attacker-controlled text; a service name for calls an AWS service made).")
  private String sourceIP;
  @JsonPropertyDescription("User agent of the calls (attacker-controlled text).")
  private String userAgent;
  @JsonPropertyDescription("Calls from this address with this user agent: exact.")
  private Long calls;

  public AlertCaller() {}

  public AlertCaller(String sourceIP, String userAgent, long calls) {
    this.sourceIP = sourceIP;
    this.userAgent = userAgent;
    this.calls = calls;
  }

  public String getSourceIP() {
    return sourceIP;
  }

  public void setSourceIP(String sourceIP) {
    this.sourceIP = sourceIP;
  }

  public String getUserAgent() {
    return userAgent;
  }

  public void setUserAgent(String userAgent) {
    this.userAgent = userAgent;
  }

  public Long getCalls() {
    return calls;
  }

  public void setCalls(Long calls) {
    this.calls = calls;
  }
}
