package io.spacecrab.api;

/**
 * What every HoneyTokenAlert carries, whoever writes it (the detector from CloudTrail, the operator
 * from IAM's record of last use) and whoever reads it (delivery): its labels and its reasons.
 */
public final class Alerts {
  /** Labels naming the token an alert is about; values pass through {@link Names#labelValue}. */
  public static final String LABEL_TOKEN_NAMESPACE = SpaceCrab.GROUP + "/token-namespace";
  public static final String LABEL_TOKEN_NAME = SpaceCrab.GROUP + "/token-name";
  public static final String LABEL_TOKEN_UID = SpaceCrab.GROUP + "/token-uid";

  /** A use CloudTrail recorded (also the reason of the incident's Event and the token's Triggered condition). */
  public static final String KEY_USED = "KeyUsed";
  /** A use IAM reports (GetAccessKeyLastUsed) that no CloudTrail record shows. */
  public static final String USED_WITHOUT_TRAIL = "UsedWithoutTrail";

  private Alerts() {}
}
