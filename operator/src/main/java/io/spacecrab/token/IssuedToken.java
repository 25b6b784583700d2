package io.spacecrab.token;

import io.spacecrab.aws.AccessKeyLastUse;
import java.time.Instant;

/**
 * The live key of a token after issuing: who owns it and its secret (never logged), the drift found
 * on the way, and IAM's record of the key's latest use (null for a new key, one never used, or when
 * IAM would not say).
 */
public record IssuedToken(String userName, String accessKeyId, String secretAccessKey, Instant issuedAt, Drift drift,
    AccessKeyLastUse lastUse) {

  public IssuedToken(String userName, String accessKeyId, String secretAccessKey, Instant issuedAt) {
    this(userName, accessKeyId, secretAccessKey, issuedAt, Drift.NONE, null);
  }

  IssuedToken withDrift(Drift found) {
    return new IssuedToken(userName, accessKeyId, secretAccessKey, issuedAt, found, lastUse);
  }

  IssuedToken withLastUse(AccessKeyLastUse use) {
    return new IssuedToken(userName, accessKeyId, secretAccessKey, issuedAt, drift, use);
  }

  @Override
  public String toString() {
    return "IssuedToken[" + userName + " " + accessKeyId + "]";
  }
}
