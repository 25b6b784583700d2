package io.spacecrab.aws;

import java.time.Instant;

/**
 * One access key in the registry, keyed by access key id. {@code sealedSecret} is the secret
 * access key encrypted with the operator's seal key (never plaintext); {@code expireAt} is the
 * DynamoDB TTL of a tombstone.
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

  @Override
  public String toString() {
    return "RegistryRecord[" + accessKeyId + " " + namespace + "/" + name + " " + state + "]";
  }
}
