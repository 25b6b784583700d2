package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** IAM's own record of a key's latest use (GetAccessKeyLastUsed), not a CloudTrail record. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IamLastUse {
  @JsonPropertyDescription("When IAM says the key was last used (IAM reports it to the minute).")
  private String lastUsedDate;
  @JsonPropertyDescription("The AWS service the request named, as IAM reports it (e.g. s3, sts); absent when IAM says N/A.")
  private String serviceName;
  @JsonPropertyDescription("The region the request named, as IAM reports it; absent when IAM says N/A.")
  private String region;

  public IamLastUse() {}

  public IamLastUse(String lastUsedDate, String serviceName, String region) {
    this.lastUsedDate = lastUsedDate;
    this.serviceName = serviceName;
    this.region = region;
  }

  public String getLastUsedDate() {
    return lastUsedDate;
  }

  public void setLastUsedDate(String lastUsedDate) {
    this.lastUsedDate = lastUsedDate;
  }

  public String getServiceName() {
    return serviceName;
  }

  public void setServiceName(String serviceName) {
    this.serviceName = serviceName;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }
}
