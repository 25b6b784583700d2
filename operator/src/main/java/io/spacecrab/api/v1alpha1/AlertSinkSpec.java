package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;

/** An alert destination. Credentials are only ever read from the referenced Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertSinkSpec {
  @Required
  @JsonPropertyDescription("pagerduty (Events API v2), slack (incoming webhook), webhook (signed JSON, Standard Webhooks) or email (Amazon SES).")
  private SinkType type;

  @Required
  @JsonPropertyDescription("Secret in this namespace with the credentials. pagerduty: routingKey. slack: webhookUrl. webhook: url, signingSecret (whsec_...), optional previousSigningSecret. email: from.")
  private SecretKeyRef secretRef;

  @JsonPropertyDescription("Which alerts this sink takes; empty takes every alert.")
  private SinkMatch match;

  @JsonPropertyDescription("Also send updates while an incident grows (rate-limited by minUpdateInterval). Default true.")
  private Boolean sendUpdates;

  @JsonPropertyDescription("Least time between two notifications about one incident (ISO-8601). Default PT15M.")
  private String minUpdateInterval;

  @JsonPropertyDescription("Stop retrying a failed delivery after this long (ISO-8601). Default PT24H.")
  private String giveUpAfter;

  @JsonPropertyDescription("pagerduty: severity of triggered incidents: critical (default), error, warning, info.")
  private String severity;

  @JsonPropertyDescription("pagerduty: Events API URL. Default https://events.pagerduty.com/v2/enqueue.")
  private String endpoint;

  @JsonPropertyDescription("email: recipients.")
  private List<String> to = new ArrayList<>();

  @JsonPropertyDescription("Secret scanners of the organisation whose calls this sink is not paged for: a call from one of a rule's cidrs AND with one of its userAgents. The alert still records every call, and names the rule on the suppressed ones; an incident with any other call is notified as usual, saying which calls were suppressed and why. Invalid rules make the sink Ready=False (InvalidKnownScanners) and suppress nothing.")
  private List<KnownScanner> knownScanners = new ArrayList<>();

  @JsonPropertyDescription("Allow plain http:// destinations (default false; for tests and internal receivers).")
  private Boolean allowHttp;

  @JsonPropertyDescription("Hosts or CIDRs allowed even though they are private, loopback or link-local (refused by default).")
  private List<String> allowDestinations = new ArrayList<>();

  public SinkType getType() {
    return type;
  }

  public void setType(SinkType type) {
    this.type = type;
  }

  public SecretKeyRef getSecretRef() {
    return secretRef;
  }

  public void setSecretRef(SecretKeyRef secretRef) {
    this.secretRef = secretRef;
  }

  public SinkMatch getMatch() {
    return match;
  }

  public void setMatch(SinkMatch match) {
    this.match = match;
  }

  public Boolean getSendUpdates() {
    return sendUpdates;
  }

  public void setSendUpdates(Boolean sendUpdates) {
    this.sendUpdates = sendUpdates;
  }

  public String getMinUpdateInterval() {
    return minUpdateInterval;
  }

  public void setMinUpdateInterval(String minUpdateInterval) {
    this.minUpdateInterval = minUpdateInterval;
  }

  public String getGiveUpAfter() {
    return giveUpAfter;
  }

  public void setGiveUpAfter(String giveUpAfter) {
    this.giveUpAfter = giveUpAfter;
  }

  public String getSeverity() {
    return severity;
  }

  public void setSeverity(String severity) {
    this.severity = severity;
  }

  public String getEndpoint() {
    return endpoint;
  }

  public void setEndpoint(String endpoint) {
    this.endpoint = endpoint;
  }

  public List<String> getTo() {
    return to;
  }

  public void setTo(List<String> to) {
    this.to = to;
  }

  public List<KnownScanner> getKnownScanners() {
    return knownScanners;
  }

  public void setKnownScanners(List<KnownScanner> knownScanners) {
    this.knownScanners = knownScanners;
  }

  public Boolean getAllowHttp() {
    return allowHttp;
  }

  public void setAllowHttp(Boolean allowHttp) {
    this.allowHttp = allowHttp;
  }

  public List<String> getAllowDestinations() {
    return allowDestinations;
  }

  public void setAllowDestinations(List<String> allowDestinations) {
    this.allowDestinations = allowDestinations;
  }
}
