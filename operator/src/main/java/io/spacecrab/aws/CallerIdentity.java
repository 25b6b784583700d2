package io.spacecrab.aws;

/** Calls AWS as a given access key: the self-test's use of its own key. */
public interface CallerIdentity {

  /**
   * One {@code sts:GetCallerIdentity} signed with this key (a management read event CloudTrail
   * logs; no policy can deny it); returns the caller's ARN. Safe to repeat. Every failure is an
   * {@link AwsCallException} whose message holds no key material.
   */
  String call(String accessKeyId, String secretAccessKey);
}
