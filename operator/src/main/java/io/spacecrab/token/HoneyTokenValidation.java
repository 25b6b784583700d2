package io.spacecrab.token;

import io.spacecrab.api.v1alpha1.DeletionPolicy;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.api.v1alpha1.SecretFormat;
import io.spacecrab.api.v1alpha1.SecretTarget;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The CRD's schema rules checked again in code: the API server may not have enforced them. */
public final class HoneyTokenValidation {
  private static final Pattern SECRET_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$");
  private static final Pattern DATA_KEY = Pattern.compile("^[-._a-zA-Z0-9]{1,253}$");
  private static final Pattern REGION = Pattern.compile("^[a-z]{2}(-[a-z]+)+-[0-9]$");
  private static final Pattern PROFILE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
  private static final Pattern USER_NAME = Pattern.compile("^[A-Za-z0-9+=,.@_-]{1,64}$");

  private HoneyTokenValidation() {}

  /** Every problem with the spec, as sentences; empty when it is valid. */
  public static List<String> problems(HoneyTokenSpec spec) {
    List<String> problems = new ArrayList<>();
    if (spec == null) {
      problems.add("spec is missing");
      return problems;
    }
    SecretTarget secret = spec.getSecret();
    if (secret == null || secret.getName() == null || secret.getName().isBlank()) {
      problems.add("spec.secret.name is required");
    } else {
      if (!SECRET_NAME.matcher(secret.getName()).matches()) {
        problems.add("spec.secret.name '" + secret.getName() + "' is not a valid Secret name");
      }
      if (secret.getFormat() != null && SecretFormat.parse(secret.getFormat()).isEmpty()) {
        problems.add("spec.secret.format '" + secret.getFormat() + "' is not env, credentials or both");
      }
      if (secret.getCredentialsKey() != null && !DATA_KEY.matcher(secret.getCredentialsKey()).matches()) {
        problems.add("spec.secret.credentialsKey is not a valid Secret key");
      }
      if (secret.getRegion() != null && !REGION.matcher(secret.getRegion()).matches()) {
        problems.add("spec.secret.region '" + secret.getRegion() + "' is not a region name such as eu-west-1");
      }
      if (secret.getProfile() != null && !PROFILE.matcher(secret.getProfile()).matches()) {
        problems.add("spec.secret.profile is not a valid profile name");
      }
    }
    if (spec.getDeletionPolicy() != null && DeletionPolicy.parse(spec.getDeletionPolicy()).isEmpty()) {
      problems.add("spec.deletionPolicy '" + spec.getDeletionPolicy() + "' is not Delete or Retain");
    }
    if (spec.getUserName() != null && !USER_NAME.matcher(spec.getUserName()).matches()) {
      problems.add("spec.userName must be 1-64 characters of letters, digits and +=,.@_-");
    }
    if (spec.getExpiresAt() != null) {
      try {
        OffsetDateTime.parse(spec.getExpiresAt());
      } catch (DateTimeParseException e) {
        problems.add("spec.expiresAt '" + spec.getExpiresAt() + "' is not an RFC 3339 time such as 2027-01-31T00:00:00Z");
      }
    }
    checkLength(problems, "spec.owner", spec.getOwner(), 256);
    checkLength(problems, "spec.location", spec.getLocation(), 1024);
    checkLength(problems, "spec.notes", spec.getNotes(), 4096);
    return problems;
  }

  private static void checkLength(List<String> problems, String field, String value, int max) {
    if (value != null && value.length() > max) {
      problems.add(field + " is longer than " + max + " characters");
    }
  }
}
