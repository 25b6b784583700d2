package io.spacecrab.token;

import java.time.Instant;

/** The live key of a token after issuing: who owns it and its secret (never logged). */
public record IssuedToken(String userName, String accessKeyId, String secretAccessKey, Instant issuedAt) {
  @Override
  public String toString() {
    return "IssuedToken[" + userName + " " + accessKeyId + "]";
  }
}
