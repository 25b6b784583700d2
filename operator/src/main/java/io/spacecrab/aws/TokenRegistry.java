package io.spacecrab.aws;

import java.util.List;
import java.util.Optional;

/** The registry of issued keys that the detector matches CloudTrail records against. */
public interface TokenRegistry {

  /** Writes the record, replacing any record with the same access key id; idempotent. */
  void put(RegistryRecord record);

  /** The record of this key, read consistently (a put that returned is visible). */
  Optional<RegistryRecord> get(String accessKeyId);

  /** Every record of this IAM user id, tombstones included (eventually consistent). */
  List<RegistryRecord> findByPrincipalId(String principalId);

  /** Every record, tombstones included, page by page (for the detector's in-memory copy). */
  List<RegistryRecord> scanAll();
}
