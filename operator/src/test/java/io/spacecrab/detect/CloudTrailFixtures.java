package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.RegistryState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** The CloudTrail fixtures under {@code cloudtrail/} and the identities they use. */
final class CloudTrailFixtures {
  static final String OUR_ACCOUNT = "111122223333";
  static final String OTHER_ACCOUNT = "444455556666";
  static final String TOKEN_KEY = "AKIABTX3GSDSVJEXAMPL";
  static final String TOKEN_PRINCIPAL = "AIDAQ3EGRPTZ5EXAMPLE2";
  static final String TOKEN_USER = "reporting-sync";
  static final String TOKEN_ARN = "arn:aws:iam::111122223333:user/reporting-sync";
  static final String MINTED_SESSION_KEY = "ASIABTX3GSDSVJSESSNA";
  static final String UNREGISTERED_KEY_OF_OUR_ACCOUNT = "AKIABTX3GSDSVJNEWKEY";
  static final String OTHER_ACCOUNT_KEY = "AKIAGO645SY5FJOTHERK";

  static final String IAM_USER = "iam-user-get-caller-identity.json";
  static final String GET_SESSION_TOKEN = "get-session-token.json";
  static final String SESSION_CALL = "session-key-list-buckets.json";
  static final String SESSION_KEY_ONLY = "session-key-without-user.json";
  static final String HEALTH_CONSOLE_SESSION = "health-console-session.json";
  static final String AWS_INTERNAL = "aws-internal-invoked.json";
  static final String ASSUMED_ROLE = "assumed-role-describe-instances.json";
  static final String AWS_SERVICE = "aws-service-kms-decrypt.json";
  static final String OTHER_ACCOUNT_USER = "other-account-iam-user.json";
  static final String UNREGISTERED_KEY = "unregistered-key-our-account.json";
  static final String DIGEST = "digest.json";
  static final String EVENTBRIDGE_EVENT = "eventbridge-event.json";

  private CloudTrailFixtures() {}

  static String fixture(String name) {
    try (InputStream in = CloudTrailFixtures.class.getResourceAsStream("/cloudtrail/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A log file document holding these record fixtures in this order. */
  static String logFile(String... recordFixtures) {
    String[] records = new String[recordFixtures.length];
    for (int i = 0; i < records.length; i++) {
      records[i] = fixture(recordFixtures[i]);
    }
    return logFileOf(records);
  }

  /** A log file document holding these JSON values as its Records. */
  static String logFileOf(String... recordJson) {
    return "{\"Records\":[" + String.join(",", recordJson) + "]}";
  }

  static byte[] gzip(String json) {
    return gzip(json.getBytes(StandardCharsets.UTF_8));
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static RegistryRecord tokenEntry(RegistryState state) {
    return new RegistryRecord(
        TOKEN_KEY,
        TOKEN_PRINCIPAL,
        TOKEN_USER,
        TOKEN_ARN,
        null,
        "payments",
        "reporting-creds",
        "5f0c1e7a-9b2d-4c3e-8f1a-6d7b2c9e0a41",
        "team-payments",
        "Secret payments/reporting-creds",
        "planted next to the reporting job",
        null,
        state,
        null,
        null);
  }
}
