package io.spacecrab.aws;

/** What IAM keeps on a user besides its tags and its boundary: DeleteUser refuses while any of it is left. */
public enum UserAttachment {
  ACCESS_KEY("access key"),
  MANAGED_POLICY("managed policy"),
  GROUP("group"),
  LOGIN_PROFILE("console password"),
  MFA_DEVICE("MFA device"),
  SIGNING_CERTIFICATE("signing certificate"),
  SSH_PUBLIC_KEY("SSH public key"),
  SERVICE_SPECIFIC_CREDENTIAL("service-specific credential"),
  INLINE_POLICY("inline policy");

  private final String noun;

  UserAttachment(String noun) {
    this.noun = noun;
  }

  /** What it is called in a sentence ("managed policy", "group"). */
  public String noun() {
    return noun;
  }
}
