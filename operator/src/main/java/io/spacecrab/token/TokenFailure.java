package io.spacecrab.token;

/**
 * A failure that retrying will not fix: the token is marked Ready=False with this reason and
 * waits for a change (of the spec, of IAM, of permissions) instead of retrying.
 */
public class TokenFailure extends RuntimeException {
  private final String reason;

  public TokenFailure(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** CamelCase condition reason. */
  public String reason() {
    return reason;
  }
}
