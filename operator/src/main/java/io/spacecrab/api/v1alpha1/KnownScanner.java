package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/**
 * A secret scanner of the organisation (TruffleHog, GitGuardian and the like verify a key they
 * find by calling sts:GetCallerIdentity): calls from one of its address blocks AND with one of
 * its user agents are recorded but do not page this sink.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KnownScanner {
  @Required
  @JsonPropertyDescription("Name of the rule, unique in this sink; alerts name it on the calls it suppressed.")
  private String name;

  @Required
  @JsonPropertyDescription("Address blocks the scanner calls from (CIDR, e.g. 203.0.113.0/28, or one address); IPv4 blocks no wider than /8, IPv6 no wider than /16. A call's source address must be in one of them.")
  private List<String> cidrs = new ArrayList<>();

  @Required
  @JsonPropertyDescription("Text the scanner's user agent contains (case-insensitive substring, e.g. TruffleHog). A call's user agent must contain one of them, besides coming from one of the cidrs.")
  private List<String> userAgents = new ArrayList<>();

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public List<String> getCidrs() {
    return cidrs;
  }

  public void setCidrs(List<String> cidrs) {
    this.cidrs = cidrs;
  }

  public List<String> getUserAgents() {
    return userAgents;
  }

  public void setUserAgents(List<String> userAgents) {
    this.userAgents = userAgents;
  }
}
