package io.spacecrab.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spacecrab.testing.CfnTemplate;
import io.spacecrab.testing.PythonTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * cfn-lint and checkov on cloudformation/spacecrab.yaml. checkov runs offline (--skip-download),
 * which leaves its findings without severities (they come from Prisma Cloud's API): so the bar is
 * no failed check at all, every skip justified in the template. checkov cannot read a policy
 * written as a Fn::Sub JSON string (the operator's IAM policy, the IRSA trust policies), so it
 * also scans the template rendered with those strings resolved (template.py render).
 */
class TemplateLintTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TEMPLATE = "cloudformation/spacecrab.yaml";

  @Test
  void cfnLintFindsNothing() {
    PythonTools.Result r = PythonTools.run(Duration.ofMinutes(2), "cfn-lint", TEMPLATE);
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(r.stdout()).isEmpty();
  }

  @Test
  void checkovFailsNoCheckAndEverySkipIsJustified() throws Exception {
    JsonNode results = checkov(TEMPLATE);
    assertThat(failed(results)).isEmpty();
    assertThat(results.path("summary").path("passed").asInt()).isGreaterThan(50);
    assertThat(results.path("summary").path("parsing_errors").asInt()).isZero();
    for (JsonNode skipped : results.path("results").path("skipped_checks")) {
      assertThat(skipped.path("check_result").path("suppress_comment").asText())
          .as("reason for skipping %s on %s", skipped.path("check_id").asText(), skipped.path("resource").asText())
          .hasSizeGreaterThan(60);
    }
    assertThat(skippedIds(results)).containsExactlyInAnyOrder("CKV_AWS_18", "CKV_AWS_27", "CKV_AWS_27",
        "CKV_AWS_119");
  }

  @Test
  void checkovReadsThePoliciesWrittenAsJsonStringsOnceRendered(@TempDir Path dir) throws Exception {
    for (Map<String, String> parameters : List.of(
        Map.of("ClusterId", "prod-eu", "OidcIssuer", "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"),
        Map.of("ClusterId", "prod-eu", "TrustMode", "pod-identity", "EksClusterName", "prod-eu",
            "EmailIdentity", "alerts.example.com", "AllowRemoveFromGroups", "true", "LogPrefix", "audit"))) {
      Path rendered = dir.resolve("spacecrab-" + parameters.size() + ".json");
      List<String> args = new ArrayList<>(List.of("cloudformation/tests/template.py", "render", rendered.toString()));
      parameters.forEach((k, v) -> args.add(k + "=" + v));
      PythonTools.Result render = PythonTools.run(Duration.ofMinutes(1), "python", args.toArray(String[]::new));
      assertThat(render.exitCode()).as(render.output()).isZero();
      JsonNode template = JSON.readTree(Files.readString(rendered));
      assertThat(template.path("Resources").path("OperatorIamPolicy").path("Properties").path("PolicyDocument")
          .isObject()).isTrue();

      JsonNode results = checkov(rendered.toString());
      assertThat(failed(results)).as("parameters %s", parameters).isEmpty();
      // the IAM checks that look at actions and resources did evaluate the operator's policy
      List<String> evaluated = new ArrayList<>();
      results.path("results").path("passed_checks").forEach(c -> {
        if (c.path("resource").asText().equals("AWS::IAM::Policy.OperatorIamPolicy")) {
          evaluated.add(c.path("check_id").asText());
        }
      });
      assertThat(evaluated).contains("CKV_AWS_107", "CKV_AWS_108", "CKV_AWS_109", "CKV_AWS_110", "CKV_AWS_111");
    }
  }

  @Test
  void templateParsesWithTheTestsResolver() {
    Map<String, Object> raw = CfnTemplate.load(CfnTemplate.file());
    Set<Object> resources = Set.copyOf(((Map<?, ?>) raw.get("Resources")).keySet());
    Set<Object> outputs = Set.copyOf(((Map<?, ?>) raw.get("Outputs")).keySet());
    assertThat(resources).contains("Trail", "Queue", "Registry", "UserBoundary", "OperatorRole", "DetectorRole",
        "FastPathRule");
    assertThat(outputs).contains("ClusterId", "Region", "RegistryTableName", "PermissionsBoundaryArn", "QueueUrl",
        "OperatorRoleArn", "DetectorRoleArn");
  }

  static JsonNode checkov(String file) throws Exception {
    PythonTools.Result r = PythonTools.run(Duration.ofMinutes(3), "checkov/bin/checkov", "-f", file,
        "--framework", "cloudformation", "--skip-download", "-o", "json");
    assertThat(r.exitCode()).as(r.output()).isIn(0, 1);
    return JSON.readTree(r.stdout());
  }

  static List<String> failed(JsonNode results) {
    List<String> failed = new ArrayList<>();
    results.path("results").path("failed_checks").forEach(c -> failed.add(c.path("check_id").asText() + " "
        + c.path("check_name").asText() + " on " + c.path("resource").asText()));
    return failed;
  }

  static List<String> skippedIds(JsonNode results) {
    List<String> ids = new ArrayList<>();
    results.path("results").path("skipped_checks").forEach(c -> ids.add(c.path("check_id").asText()));
    return ids;
  }
}
