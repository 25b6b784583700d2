package io.spacecrab.aws;

import java.time.Instant;
import java.util.Objects;

/**
 * One access key in the registry, keyed by access key id: its AWS identity, the token it belongs
 * to and where it was planted. {@code sealedSecret} is the secret access key encrypted with the
 * operator's seal key (never plaintext); {@code expireAt} is the DynamoDB TTL of a tombstone. The
 * detector indexes these records without the sealed secret ({@link #withoutSecret()}). Every field
 * but {@code accessKeyId} and {@code state} may be null.
 *
 * @param principalId the IAM user's unique id ({@code AIDA…})
 * @param userArn the IAM user's ARN, which also names the token's account
 * @param cluster id of the cluster whose operator issued the token
 * @param location where the token was planted, for the responder
 */
public record RegistryRecord(
    String accessKeyId,
    String principalId,
    String userName,
    String userArn,
    String cluster,
    String namespace,
    String name,
    String uid,
    String owner,
    String location,
    String notes,
    Instant createdAt,
    RegistryState state,
    String sealedSecret,
    Instant expireAt) {

  /** Requires the key id and the state. */
  public RegistryRecord {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(state, "state");
  }

  /** A copy in another state, with another sealed secret and TTL. */
  public RegistryRecord withState(RegistryState newState, String newSealedSecret, Instant newExpireAt) {
    return new RegistryRecord(accessKeyId, principalId, userName, userArn, cluster, namespace, name, uid,
        owner, location, notes, createdAt, newState, newSealedSecret, newExpireAt);
  }

  /** A copy with other descriptive fields. */
  public RegistryRecord withDescription(String newOwner, String newLocation, String newNotes) {
    return new RegistryRecord(accessKeyId, principalId, userName, userArn, cluster, namespace, name, uid,
        newOwner, newLocation, newNotes, createdAt, state, sealedSecret, expireAt);
  }

  /** A copy that belongs to another token (a child that took over an earlier child's key). */
  public RegistryRecord withToken(String newNamespace, String newName, String newUid) {
    return new RegistryRecord(accessKeyId, principalId, userName, userArn, cluster, newNamespace, newName, newUid,
        owner, location, notes, createdAt, state, sealedSecret, expireAt);
  }

  /** A copy without the sealed secret and the TTL: what the detector keeps in memory. */
  public RegistryRecord withoutSecret() {
    return withState(state, null, null);
  }

  /** The account id in {@link #userArn()}, or null when there is no parseable ARN. */
  public String accountId() {
    return accountOfArn(userArn);
  }

  /** The account field of an ARN ({@code arn:partition:service:region:account:resource}), or null. */
  public static String accountOfArn(String arn) {
    if (arn == null || !arn.startsWith("arn:")) {
      return null;
    }
    int colon = 0;
    int start = -1;
    for (int i = 0; i < arn.length(); i++) {
      if (arn.charAt(i) == ':') {
        colon++;
        if (colon == 4) {
          start = i + 1;
        } else if (colon == 5) {
          return i > start ? arn.substring(start, i) : null;
        }
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return "RegistryRecord[" + accessKeyId + " " + namespace + "/" + name + " " + state + "]";
  }
}
