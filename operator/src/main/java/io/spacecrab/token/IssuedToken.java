package io.spacecrab.token;

import java.time.Instant;

/** The live key of a token after issuing: who owns it and its secret (never logged), and the drift found on the way. */
public record IssuedToken(String userName, String accessKeyId, String secretAccessKey, Instant issuedAt, Drift drift) {

  public IssuedToken(String userName, String accessKeyId, String secretAccessKey, Instant issuedAt) {
    this(userName, accessKeyId, secretAccessKey, issuedAt, Drift.NONE);
  }

  IssuedToken withDrift(Drift found) {
    return new IssuedToken(userName, accessKeyId, secretAccessKey, issuedAt, found);
  }

  @Override
  public String toString() {
    return "IssuedToken[" + userName + " " + accessKeyId + "]";
  }
}
