package io.spacecrab.api;

import java.util.regex.Pattern;

/** The Kubernetes syntax rules for label keys, label values and names (apimachinery validation). */
public final class LabelNames {
  private static final Pattern NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private LabelNames() {}

  /** Why the key is not a valid qualified label key ([prefix/]name), or null when it is. */
  public static String keyProblem(String key) {
    if (key == null || key.isEmpty()) {
      return "is empty";
    }
    String[] parts = key.split("/", -1);
    if (parts.length > 2) {
      return "'" + key + "' has more than one '/'";
    }
    String name = parts[parts.length - 1];
    if (parts.length == 2 && !isDnsSubdomain(parts[0])) {
      return "'" + key + "' has a prefix that is not a DNS subdomain of at most 253 characters";
    }
    if (name.length() > 63 || !NAME_PART.matcher(name).matches()) {
      return "'" + key + "' is not 1-63 characters of letters, digits, '-', '_' or '.' that start and end"
          + " with a letter or digit";
    }
    return null;
  }

  /** Why the value is not a valid label value, or null when it is (the empty value is valid). */
  public static String valueProblem(String value) {
    if (value == null) {
      return "is missing";
    }
    if (value.length() > 63 || !(value.isEmpty() || NAME_PART.matcher(value).matches())) {
      return "'" + value + "' is not at most 63 characters of letters, digits, '-', '_' or '.' that start and"
          + " end with a letter or digit";
    }
    return null;
  }

  /** True when the name is a DNS-1123 label: a namespace name. */
  public static boolean isDnsLabel(String name) {
    return name != null && name.length() <= 63 && DNS_LABEL.matcher(name).matches();
  }

  /** True when the name is a DNS-1123 subdomain: an object name. */
  public static boolean isDnsSubdomain(String name) {
    return name != null && name.length() <= 253 && DNS_SUBDOMAIN.matcher(name).matches();
  }
}
