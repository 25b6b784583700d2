package io.spacecrab.aws;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The IAM calls the token reconciler makes. Every failure is an {@link AwsCallException}. */
public interface IamUsers {

  /** The user with this name, or empty when IAM says NoSuchEntity. */
  Optional<IamUser> findUser(String userName);

  /** Creates the user; ALREADY_EXISTS when the name is taken (by us or anyone). */
  IamUser createUser(String userName, String path, String boundaryArn, Map<String, String> tags);

  /** Sets the permissions boundary; idempotent. */
  void setPermissionsBoundary(String userName, String boundaryArn);

  /** The inline policy document (decoded JSON), or empty when the user has no such policy. */
  Optional<String> inlinePolicy(String userName, String policyName);

  /** Writes the inline policy; idempotent overwrite. */
  void putInlinePolicy(String userName, String policyName, String document);

  /** All access keys of the user (at most two in IAM). */
  List<AccessKeyInfo> listAccessKeys(String userName);

  /**
   * IAM's record of the key's latest use (GetAccessKeyLastUsed); empty when IAM has none (never
   * used). A read, safe to repeat; NOT_FOUND when the key is gone.
   */
  Optional<AccessKeyLastUse> accessKeyLastUsed(String accessKeyId);

  /** Creates an access key. Never retried by the SDK: CreateAccessKey is not idempotent. */
  IssuedKey createAccessKey(String userName);

  /** Deletes a key; a key that is already gone is not an error. */
  void deleteAccessKey(String userName, String accessKeyId);

  /**
   * The user's attachments of this kind, each by the id IAM removes it by: access key ids, policy
   * ARNs, group names, MFA serial numbers, certificate, SSH key and credential ids, inline policy
   * names; for a console password, the user's name. All pages. NOT_FOUND when the user is gone.
   */
  List<String> attachments(String userName, UserAttachment kind);

  /**
   * Removes one attachment: deletes it, detaches a managed policy, leaves a group, deactivates an
   * MFA device and deletes it if it is a virtual one. One already gone is not an error.
   */
  void remove(String userName, UserAttachment kind, String id);

  /**
   * Deletes the user, which must have nothing attached any more (else IAM answers DeleteConflict,
   * INVALID); a user already gone is not an error.
   */
  void deleteUser(String userName);

  /** The names of every IAM user the account holds (all pages of ListUsers). */
  List<String> userNames();
}
