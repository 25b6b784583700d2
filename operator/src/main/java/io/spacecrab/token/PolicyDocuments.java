package io.spacecrab.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads IAM policy documents back to tell whether they are still our explicit deny-all. */
final class PolicyDocuments {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolicyDocuments() {}

  /** True when the document has exactly one statement: Deny, Action *, Resource *. */
  static boolean sameDenyAll(String document) {
    try {
      JsonNode statements = JSON.readTree(document).path("Statement");
      JsonNode s = statements.isArray() && statements.size() == 1 ? statements.get(0) : statements;
      return s.isObject() && "Deny".equals(s.path("Effect").asText())
          && isStar(s.path("Action")) && isStar(s.path("Resource")) && !s.has("Condition");
    } catch (Exception e) {
      return false;
    }
  }

  private static boolean isStar(JsonNode node) {
    return "*".equals(node.asText()) || (node.isArray() && node.size() == 1 && "*".equals(node.get(0).asText()));
  }
}
