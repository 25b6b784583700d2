package io.spacecrab.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** The Secret that receives the key, and its layout. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretTarget {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret. It must not exist already unless this token wrote it.")
  private String name;

  @Pattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
  @JsonPropertyDescription("Namespace of the Secret. Default: the HoneyToken's own. Only a HoneyToken in the operator's"
      + " security namespace may plant its Secret in another namespace.")
  private String namespace;

  @Default("env")
  @JsonPropertyDescription("env (default): AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY entries; credentials: an ~/.aws/credentials file under credentialsKey; both.")
  @SchemaFrom(type = SecretFormat.class)
  private String format;

  @Default("credentials")
  @Pattern("^[-._a-zA-Z0-9]{1,253}$")
  @JsonPropertyDescription("Secret key that holds the credentials file when format is credentials or both. Default: credentials.")
  private String credentialsKey;

  @Pattern("^[a-z]{2}(-[a-z]+)+-[0-9]$")
  @JsonPropertyDescription("Optional AWS region written beside the key (AWS_REGION and AWS_DEFAULT_REGION, or region in the profile).")
  private String region;

  @Pattern("^[A-Za-z0-9_.-]{1,64}$")
  @JsonPropertyDescription("Profile name in the credentials file. Default: default.")
  private String profile;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getNamespace() {
    return namespace;
  }

  public void setNamespace(String namespace) {
    this.namespace = namespace;
  }

  public String getFormat() {
    return format;
  }

  public void setFormat(String format) {
    this.format = format;
  }

  public String getCredentialsKey() {
    return credentialsKey;
  }

  public void setCredentialsKey(String credentialsKey) {
    this.credentialsKey = credentialsKey;
  }

  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }

  public String getProfile() {
    return profile;
  }

  public void setProfile(String profile) {
    this.profile = profile;
  }

  /** The format with its default applied; a value the schema does not allow counts as env (the spec is reported invalid). */
  public SecretFormat effectiveFormat() {
    return SecretFormat.parse(format).orElse(SecretFormat.env);
  }

  public String effectiveCredentialsKey() {
    return credentialsKey == null || credentialsKey.isEmpty() ? "credentials" : credentialsKey;
  }

  public String effectiveProfile() {
    return profile == null || profile.isEmpty() ? "default" : profile;
  }
}
