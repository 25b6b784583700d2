package io.spacecrab.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/** CloudTrail records and log files in the real format, for tests and benchmarks. */
public final class CloudTrailFiles {
  private static final ObjectMapper JSON = new ObjectMapper();

  private CloudTrailFiles() {}

  /** Who made a call: an IAM user's identity as CloudTrail writes it. */
  public record Caller(String accessKeyId, String principalId, String arn, String userName, String accountId) {
    public static Caller of(String accessKeyId, String principalId, String arn) {
      String userName = arn.substring(arn.lastIndexOf('/') + 1);
      String account = arn.split(":")[4];
      return new Caller(accessKeyId, principalId, arn, userName, account);
    }

    public Caller withKey(String key) {
      return new Caller(key, principalId, arn, userName, accountId);
    }
  }

  /** One record of a call by this caller. */
  public static ObjectNode record(Caller caller, String eventId, String time, String source, String name, String ip) {
    ObjectNode r = JSON.createObjectNode();
    r.put("eventVersion", "1.09");
    ObjectNode id = r.putObject("userIdentity");
    id.put("type", "IAMUser");
    id.put("principalId", caller.principalId());
    id.put("arn", caller.arn());
    id.put("accountId", caller.accountId());
    id.put("accessKeyId", caller.accessKeyId());
    id.put("userName", caller.userName());
    r.put("eventTime", time);
    r.put("eventSource", source);
    r.put("eventName", name);
    r.put("awsRegion", "us-east-1");
    r.put("sourceIPAddress", ip);
    r.put("userAgent", "aws-cli/2.15.0 Python/3.11.6 Linux/6.5.0 exe/x86_64.ubuntu.22");
    r.put("errorCode", "AccessDenied");
    r.put("errorMessage", "User: " + caller.arn() + " is not authorized to perform: " + name);
    r.putNull("requestParameters");
    r.putNull("responseElements");
    r.put("requestID", UUID.randomUUID().toString());
    r.put("eventID", eventId);
    r.put("readOnly", true);
    r.put("eventType", "AwsApiCall");
    r.put("managementEvent", true);
    r.put("recipientAccountId", caller.accountId());
    r.put("eventCategory", "Management");
    return r;
  }

  /** A GetSessionToken record that minted this session key. */
  public static ObjectNode getSessionToken(Caller caller, String eventId, String time, String sessionKey) {
    ObjectNode r = record(caller, eventId, time, "sts.amazonaws.com", "GetSessionToken", "203.0.113.9");
    r.remove("errorCode");
    r.remove("errorMessage");
    ObjectNode creds = r.putObject("responseElements").putObject("credentials");
    creds.put("accessKeyId", sessionKey);
    creds.put("expiration", "Dec 1, 2026, 10:00:00 AM");
    creds.put("sessionToken", "<redacted by CloudTrail>");
    return r;
  }

  /**
   * The same record as an AWS service writes it when it calls on the caller's behalf: {@code
   * userIdentity.invokedBy} set, and the service's name (or {@code AWS Internal}) as source address
   * and user agent.
   */
  public static ObjectNode invokedBy(ObjectNode record, String service) {
    ((ObjectNode) record.get("userIdentity")).put("invokedBy", service);
    record.put("sourceIPAddress", service);
    record.put("userAgent", service);
    return record;
  }

  /**
   * The same record made with temporary credentials of the caller: a console sign-in session
   * ({@code sessionCredentialFromConsole}) or a {@code GetSessionToken} session.
   */
  public static ObjectNode session(ObjectNode record, String sessionKey, boolean console, boolean mfa,
      String createdAt) {
    ObjectNode id = (ObjectNode) record.get("userIdentity");
    id.put("accessKeyId", sessionKey);
    ObjectNode context = id.putObject("sessionContext");
    context.putObject("sessionIssuer");
    context.putObject("webIdFederationData");
    ObjectNode attributes = context.putObject("attributes");
    attributes.put("creationDate", createdAt);
    attributes.put("mfaAuthenticated", Boolean.toString(mfa));
    if (console) {
      record.put("sessionCredentialFromConsole", "true");
    }
    return record;
  }

  /** Someone else's call, to fill files with noise. */
  public static ObjectNode noise(int i, String time) {
    Caller other = Caller.of("AKIAOTHER" + String.format("%011d", i), "AIDAOTHER" + String.format("%012d", i),
        "arn:aws:iam::111122223333:user/build-" + i);
    ObjectNode r = record(other, UUID.randomUUID().toString(), time, "ec2.amazonaws.com", "DescribeInstances",
        "10.0." + (i % 250) + ".1");
    r.remove("errorCode");
    r.remove("errorMessage");
    return r;
  }

  /** {"Records":[...]} gzip-compressed, as CloudTrail delivers it. */
  public static byte[] gzip(List<ObjectNode> records) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("Records");
    records.forEach(array::add);
    return gzipBytes(root.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static byte[] gzipBytes(byte[] plain) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(plain);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A log object key in CloudTrail's layout. */
  public static String logKey(String account, String name) {
    return "AWSLogs/" + account + "/CloudTrail/us-east-1/2026/11/30/" + account + "_CloudTrail_us-east-1_" + name
        + ".json.gz";
  }

  public static String json(ObjectNode node) {
    return node.toString();
  }
}
