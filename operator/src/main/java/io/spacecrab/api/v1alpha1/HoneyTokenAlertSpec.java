package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.ArrayList;
import java.util.List;

/** The incident as the detector saw it. Lists are bounded so the object stays small. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HoneyTokenAlertSpec {
  @JsonPropertyDescription("The token that was used.")
  private TokenRef token;
  @JsonPropertyDescription("The token's access key id (not its secret).")
  private String accessKeyId;
  @JsonPropertyDescription("The token's IAM user.")
  private String userName;
  @JsonPropertyDescription("Cluster id of the operator that issued the token.")
  private String cluster;
  @JsonPropertyDescription("Owner, copied from the token.")
  private String owner;
  @JsonPropertyDescription("Where the key was planted, copied from the token.")
  private String location;
  @JsonPropertyDescription("Notes, copied from the token.")
  private String notes;
  @JsonPropertyDescription("Registry state of the token when last matched: Active, Retained, Replaced or Retired (a deleted token's tombstone still alerts).")
  private String tokenState;
  @JsonPropertyDescription("1 for the token's first incident, then 2, 3, ... in the order they were opened. An incident holds the uses no further apart than the quiet window; a use further than the window from every incident opens a new one. Absent for reason UsedWithoutTrail.")
  private Integer incident;
  @JsonPropertyDescription("Set when a later use bridged this incident and an older one: the name of the HoneyTokenAlert this incident was folded into, which now holds its calls. This alert keeps its own record and gets no further notifications (a resolve still goes out when a human resolves it).")
  private String mergedInto;
  @JsonPropertyDescription("Numbers of the incidents of the same token that were folded into this one (their alerts name this one in mergedInto).")
  private List<Integer> mergedIncidents;
  @JsonPropertyDescription("Time of the earliest call in this incident.")
  private String firstSeen;
  @JsonPropertyDescription("Time of the latest call in this incident.")
  private String lastSeen;
  @JsonPropertyDescription("Number of distinct CloudTrail records (by eventID) in this incident.")
  private Long eventCount;
  @JsonPropertyDescription("Distinct source IP addresses of the calls, the most used first (at most 20; see cappedLists). Calls an AWS service made on the caller's behalf are not counted here but in invokedBy.")
  private List<String> sourceIPs = new ArrayList<>();
  @JsonPropertyDescription("Calls per address in sourceIPs, in the same order. When more than 20 addresses were seen, an address used in more than a twentieth of the calls is always kept.")
  private List<SourceIPCalls> sourceIPCalls = new ArrayList<>();
  @JsonPropertyDescription("Calls per distinct pair of source address and user agent, exact (at most 20 pairs; a pair seen after that is not listed and callers is named in cappedLists). AlertSinks' knownScanners rules are checked against them: an incident is suppressed for a sink only when these pairs account for every call and each matches one of its rules.")
  private List<AlertCaller> callers = new ArrayList<>();
  @JsonPropertyDescription("Distinct AWS services that made calls on the caller's behalf (userIdentity.invokedBy, or a service name as source address, e.g. health.amazonaws.com, AWS Internal; at most 20).")
  private List<String> invokedBy = new ArrayList<>();
  @JsonPropertyDescription("Distinct user agents (at most 20).")
  private List<String> userAgents = new ArrayList<>();
  @JsonPropertyDescription("Distinct API calls as service:Name (at most 20).")
  private List<String> eventNames = new ArrayList<>();
  @JsonPropertyDescription("Distinct regions (at most 20).")
  private List<String> regions = new ArrayList<>();
  @JsonPropertyDescription("Names of the lists above (sourceIPs, callers, invokedBy, userAgents, eventNames, regions) that reached their cap of 20 while more distinct values were seen; absent when every value is listed.")
  private List<String> cappedLists;
  @JsonPropertyDescription("The latest calls (at most 20), newest last.")
  private List<AlertEvent> recentEvents = new ArrayList<>();
  @JsonPropertyDescription("eventIDs already counted (at most 1000), so a replayed record is not counted twice.")
  private List<String> seenEventIDs = new ArrayList<>();
  @JsonPropertyDescription("Set to true by a human to close the incident (notifies sinks that resolve).")
  private Boolean resolved;

  @JsonPropertyDescription("Why the alert exists. Absent (or KeyUsed): uses of the key that CloudTrail recorded, written by the detector. UsedWithoutTrail: IAM's own record of the key's latest use (iamLastUse) that no CloudTrail-derived alert of the token covers once the operator's --trail-grace is over: an API CloudTrail does not log, or a trail that is broken; written by the operator, one alert per last-use time, without incident number or CloudTrail lists. PipelineDown: a pipeline notice, not a breach: the operator's self-test made a call that did not reach the detector through the intake path named in location within its deadline (since firstSeen); written by the operator, resolved by it when the path recovers, delivered only to AlertSinks with match.pipelineNotices.")
  private String reason;
  @JsonPropertyDescription("For reason UsedWithoutTrail: the key's latest use as IAM reports it (GetAccessKeyLastUsed), not as CloudTrail recorded it.")
  private IamLastUse iamLastUse;

  @JsonPropertyDescription("Labels of the HoneyToken when the alert was last written (AlertSinks can select on them).")
  private java.util.Map<String, String> tokenLabels;

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public IamLastUse getIamLastUse() {
    return iamLastUse;
  }

  public void setIamLastUse(IamLastUse iamLastUse) {
    this.iamLastUse = iamLastUse;
  }

  public java.util.Map<String, String> getTokenLabels() {
    return tokenLabels;
  }

  public void setTokenLabels(java.util.Map<String, String> tokenLabels) {
    this.tokenLabels = tokenLabels;
  }

  public TokenRef getToken() {
    return token;
  }

  public void setToken(TokenRef token) {
    this.token = token;
  }

  public String getAccessKeyId() {
    return accessKeyId;
  }

  public void setAccessKeyId(String accessKeyId) {
    this.accessKeyId = accessKeyId;
  }

  public String getUserName() {
    return userName;
  }

  public void setUserName(String userName) {
    this.userName = userName;
  }

  public String getCluster() {
    return cluster;
  }

  public void setCluster(String cluster) {
    this.cluster = cluster;
  }

  public String getOwner() {
    return owner;
  }

  public void setOwner(String owner) {
    this.owner = owner;
  }

  public String getLocation() {
    return location;
  }

  public void setLocation(String location) {
    this.location = location;
  }

  public String getNotes() {
    return notes;
  }

  public void setNotes(String notes) {
    this.notes = notes;
  }

  public String getTokenState() {
    return tokenState;
  }

  public void setTokenState(String tokenState) {
    this.tokenState = tokenState;
  }

  public Integer getIncident() {
    return incident;
  }

  public void setIncident(Integer incident) {
    this.incident = incident;
  }

  public String getMergedInto() {
    return mergedInto;
  }

  public void setMergedInto(String mergedInto) {
    this.mergedInto = mergedInto;
  }

  public List<Integer> getMergedIncidents() {
    return mergedIncidents;
  }

  public void setMergedIncidents(List<Integer> mergedIncidents) {
    this.mergedIncidents = mergedIncidents;
  }

  public String getFirstSeen() {
    return firstSeen;
  }

  public void setFirstSeen(String firstSeen) {
    this.firstSeen = firstSeen;
  }

  public String getLastSeen() {
    return lastSeen;
  }

  public void setLastSeen(String lastSeen) {
    this.lastSeen = lastSeen;
  }

  public Long getEventCount() {
    return eventCount;
  }

  public void setEventCount(Long eventCount) {
    this.eventCount = eventCount;
  }

  public List<String> getSourceIPs() {
    return sourceIPs;
  }

  public void setSourceIPs(List<String> sourceIPs) {
    this.sourceIPs = sourceIPs;
  }

  public List<SourceIPCalls> getSourceIPCalls() {
    return sourceIPCalls;
  }

  public void setSourceIPCalls(List<SourceIPCalls> sourceIPCalls) {
    this.sourceIPCalls = sourceIPCalls;
  }

  public List<AlertCaller> getCallers() {
    return callers;
  }

  public void setCallers(List<AlertCaller> callers) {
    this.callers = callers;
  }

  public List<String> getInvokedBy() {
    return invokedBy;
  }

  public void setInvokedBy(List<String> invokedBy) {
    this.invokedBy = invokedBy;
  }

  public List<String> getCappedLists() {
    return cappedLists;
  }

  public void setCappedLists(List<String> cappedLists) {
    this.cappedLists = cappedLists;
  }

  public List<String> getUserAgents() {
    return userAgents;
  }

  public void setUserAgents(List<String> userAgents) {
    this.userAgents = userAgents;
  }

  public List<String> getEventNames() {
    return eventNames;
  }

  public void setEventNames(List<String> eventNames) {
    this.eventNames = eventNames;
  }

  public List<String> getRegions() {
    return regions;
  }

  public void setRegions(List<String> regions) {
    this.regions = regions;
  }

  public List<AlertEvent> getRecentEvents() {
    return recentEvents;
  }

  public void setRecentEvents(List<AlertEvent> recentEvents) {
    this.recentEvents = recentEvents;
  }

  public List<String> getSeenEventIDs() {
    return seenEventIDs;
  }

  public void setSeenEventIDs(List<String> seenEventIDs) {
    this.seenEventIDs = seenEventIDs;
  }

  public Boolean getResolved() {
    return resolved;
  }

  public void setResolved(Boolean resolved) {
    this.resolved = resolved;
  }
}
