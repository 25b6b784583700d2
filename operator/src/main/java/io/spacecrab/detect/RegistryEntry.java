package io.spacecrab.detect;

import io.spacecrab.aws.RegistryState;
import java.util.Objects;

/**
 * One honey token as the registry records it: its AWS identity and where it was planted. Holds no
 * secret. Every field but {@code accessKeyId} and {@code state} may be null.
 *
 * @param principalId the IAM user's unique id ({@code AIDA…})
 * @param userArn the IAM user's ARN, which also names the token's account
 * @param location where the token was planted, for the responder
 * @param cluster id of the cluster whose operator issued the token
 */
public record RegistryEntry(
    String accessKeyId,
    String principalId,
    String userName,
    String userArn,
    String namespace,
    String name,
    String uid,
    String owner,
    String location,
    String notes,
    RegistryState state,
    String cluster) {

  /** Requires the key id and the state. */
  public RegistryEntry {
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(state, "state");
  }

  /** The detector's view of a registry record: everything but the sealed secret. */
  public static RegistryEntry of(io.spacecrab.aws.RegistryRecord r) {
    return new RegistryEntry(r.accessKeyId(), r.principalId(), r.userName(), r.userArn(), r.namespace(), r.name(),
        r.uid(), r.owner(), r.location(), r.notes(), r.state(), r.cluster());
  }

  /** The account id in {@link #userArn()}, or null when there is no parseable ARN. */
  public String accountId() {
    return accountOfArn(userArn);
  }

  /** The account field of an ARN ({@code arn:partition:service:region:account:resource}). */
  static String accountOfArn(String arn) {
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
}
