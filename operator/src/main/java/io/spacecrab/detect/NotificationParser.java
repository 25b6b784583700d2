package io.spacecrab.detect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads the shapes a CloudTrail pipeline puts on SQS: S3 event notifications (raw or wrapped in
 * SNS), CloudTrail's own SNS "log files delivered" notification, S3 test events, and EventBridge
 * "AWS API Call via CloudTrail" events. Pure; a message is at most 256 KiB, so a tree is fine here.
 */
public final class NotificationParser {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> API_CALL_TYPES = Set.of("AWS API Call via CloudTrail",
      "AWS Console Sign In via CloudTrail", "AWS Service Event via CloudTrail");
  private static final int MAX_SNS_DEPTH = 2;

  private NotificationParser() {}

  /** Never throws: anything it cannot read is {@link Notification.Unrecognised} with a reason. */
  public static Notification parse(String body) {
    try {
      return parse(JSON.readTree(body), 0, body);
    } catch (Exception e) {
      return new Notification.Unrecognised("not JSON");
    }
  }

  private static Notification parse(JsonNode node, int depth, String raw) throws Exception {
    if (node == null || !node.isObject()) {
      return new Notification.Unrecognised("not a JSON object");
    }
    if ("Notification".equals(node.path("Type").asText()) && node.path("Message").isTextual()) {
      if (depth >= MAX_SNS_DEPTH) {
        return new Notification.Unrecognised("SNS envelopes nested too deep");
      }
      String inner = node.path("Message").asText();
      return parse(JSON.readTree(inner), depth + 1, inner);
    }
    if ("s3:TestEvent".equals(node.path("Event").asText())) {
      return new Notification.TestEvent();
    }
    if (node.path("Records").isArray()) {
      return s3Event(node.path("Records"));
    }
    if (node.path("s3Bucket").isTextual() && node.path("s3ObjectKey").isArray()) {
      List<String> keys = new ArrayList<>();
      node.path("s3ObjectKey").forEach(k -> keys.add(k.asText()));
      return logFiles(node.path("s3Bucket").asText(), keys);
    }
    if (node.has("detail-type") && node.path("detail").isObject()) {
      String type = node.path("detail-type").asText();
      return API_CALL_TYPES.contains(type)
          ? new Notification.ApiCallEvent(raw.getBytes(StandardCharsets.UTF_8))
          : new Notification.Unrecognised("EventBridge event of another type");
    }
    return new Notification.Unrecognised("unknown shape with fields " + fieldNames(node));
  }

  private static Notification s3Event(JsonNode records) {
    List<S3Location> files = new ArrayList<>();
    int skipped = 0;
    for (JsonNode r : records) {
      String source = r.path("eventSource").asText();
      if (!"aws:s3".equals(source) || !r.path("eventName").asText().startsWith("ObjectCreated")) {
        skipped++;
        continue;
      }
      String bucket = r.path("s3").path("bucket").path("name").asText(null);
      String encodedKey = r.path("s3").path("object").path("key").asText(null);
      if (bucket == null || encodedKey == null) {
        return new Notification.Unrecognised("S3 event record without bucket or key");
      }
      String key = URLDecoder.decode(encodedKey, StandardCharsets.UTF_8);
      if (isLogFile(key)) {
        files.add(new S3Location(bucket, key));
      } else {
        skipped++;
      }
    }
    if (files.isEmpty() && skipped == 0) {
      return new Notification.Unrecognised("Records holds no S3 event");
    }
    return new Notification.LogFiles(List.copyOf(files), skipped);
  }

  private static Notification logFiles(String bucket, List<String> keys) {
    List<S3Location> files = new ArrayList<>();
    int skipped = 0;
    for (String key : keys) {
      if (isLogFile(key)) {
        files.add(new S3Location(bucket, key));
      } else {
        skipped++;
      }
    }
    return new Notification.LogFiles(List.copyOf(files), skipped);
  }

  /** CloudTrail log files are gzip JSON under CloudTrail/; digests and insights are not logs. */
  static boolean isLogFile(String key) {
    return key.endsWith(".json.gz") && !key.contains("CloudTrail-Digest/") && !key.contains("CloudTrail-Insight/");
  }

  private static String fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    Iterator<String> it = node.fieldNames();
    while (it.hasNext() && names.size() < 5) {
      String n = it.next();
      names.add(n.length() > 40 ? n.substring(0, 40) : n);
    }
    return names.toString();
  }
}
