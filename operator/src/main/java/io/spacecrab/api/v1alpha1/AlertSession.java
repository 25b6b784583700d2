package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** The temporary credentials a call was made with, as CloudTrail describes their session. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AlertSession {
  /** A console sign-in session ({@code sessionCredentialFromConsole}). */
  public static final String CONSOLE = "Console";
  /** Temporary credentials from {@code sts:GetSessionToken} (an IAM user's session key). */
  public static final String SESSION_TOKEN = "SessionToken";
  /** Other temporary credentials (a role or federated session). */
  public static final String TEMPORARY = "Temporary";

  @JsonPropertyDescription("Console (a console sign-in session), SessionToken (temporary credentials from sts:GetSessionToken) or Temporary (other temporary credentials).")
  private String type;
  @JsonPropertyDescription("Whether the session was created with MFA (sessionContext.attributes.mfaAuthenticated); absent when CloudTrail did not say.")
  private Boolean mfaAuthenticated;
  @JsonPropertyDescription("When the session was created (sessionContext.attributes.creationDate).")
  private String createdAt;

  public AlertSession() {}

  public AlertSession(String type, Boolean mfaAuthenticated, String createdAt) {
    this.type = type;
    this.mfaAuthenticated = mfaAuthenticated;
    this.createdAt = createdAt;
  }

  public String getType() {
    return type;
  }

  public void setType(String type) {
    this.type = type;
  }

  public Boolean getMfaAuthenticated() {
    return mfaAuthenticated;
  }

  public void setMfaAuthenticated(Boolean mfaAuthenticated) {
    this.mfaAuthenticated = mfaAuthenticated;
  }

  public String getCreatedAt() {
    return createdAt;
  }

  public void setCreatedAt(String createdAt) {
    this.createdAt = createdAt;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AlertSession s && Objects.equals(type, s.type)
        && Objects.equals(mfaAuthenticated, s.mfaAuthenticated) && Objects.equals(createdAt, s.createdAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, mfaAuthenticated, createdAt);
  }
}
