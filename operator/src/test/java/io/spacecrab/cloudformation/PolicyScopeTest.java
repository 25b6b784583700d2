package io.spacecrab.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.testing.CfnTemplate;
import io.spacecrab.testing.PythonTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.spacecrab.testing.OwnJvm;

/**
 * cloudformation/tests/policy_scope.py: the template's policies evaluated offline with conditions,
 * resource ARNs, denies and boundaries (principalmapper), and linted (cloudsplaining, parliament).
 * moto cannot show any of this: it ignores conditions and boundaries.
 */
@OwnJvm
class PolicyScopeTest {
  static final String SCRIPT = "cloudformation/tests/policy_scope.py";

  /** The refusals issue 10 lists, each a case of the script, plus the allowed calls that make them meaningful. */
  static final List<String> REQUIRED = List.of(
      // the operator is refused ...
      "op-refuse-CreateAccessKey-alice", "op-refuse-PutUserPolicy-alice", "op-refuse-DeleteUser-alice",
      "op-refuse-CreateAccessKey-build-1234abcd",
      "op-refuse-create-without-boundary", "op-refuse-create-other-boundary",
      "op-refuse-create-without-tag", "op-refuse-create-other-cluster-tag", "op-refuse-create-extra-tag",
      "op-refuse-AttachUserPolicy-deploy-3f9a1c2e", "op-refuse-AddUserToGroup-deploy-3f9a1c2e",
      "op-refuse-CreateLoginProfile-deploy-3f9a1c2e", "op-refuse-DeleteUserPermissionsBoundary-deploy-3f9a1c2e",
      "op-refuse-CreateVirtualMFADevice-deploy-3f9a1c2e", "op-refuse-UploadSigningCertificate-deploy-3f9a1c2e",
      "op-refuse-UploadSSHPublicKey-deploy-3f9a1c2e", "op-refuse-CreateServiceSpecificCredential-deploy-3f9a1c2e",
      "op-refuse-tag-foreign-into-scope", "op-refuse-tag-foreign-team-into-scope",
      "op-refuse-untag-ownership", "op-refuse-boundary-CreatePolicyVersion",
      // ... also when someone later attaches Allow *:* to its role (the explicit denies)
      "widened-refuse-tag-foreign-into-scope", "widened-refuse-create-without-boundary",
      "widened-refuse-create-without-tag", "widened-refuse-AttachUserPolicy", "widened-refuse-AddUserToGroup",
      "widened-refuse-CreateLoginProfile", "widened-refuse-DeleteUserPermissionsBoundary",
      "widened-refuse-CreateAccessKey-alice",
      // the detector cannot read outside the log prefix
      "det-refuse-outside-prefix", "det-refuse-other-bucket", "det-prefix-refuse-outside",
      // what they must be able to do
      "op-create-user", "op-tag-on-create-request-context", "op-tag-on-create-resource-tags", "op-list-users",
      "op-own-CreateAccessKey", "op-put-policy-own", "op-registry-Query", "det-log-file", "det-ReceiveMessage",
      "det-decrypt-log-key", "op-email-enabled", "trust-OperatorRole-irsa", "trust-OperatorRole-refuse-other-sa",
      "trust-pod-identity", "token-widened-s3-ListAllMyBuckets");

  @Test
  void everyCaseGetsTheAnswerItExpects() {
    PythonTools.Result r = PythonTools.run(Duration.ofMinutes(3), "python", SCRIPT);
    assertThat(r.exitCode()).as(r.output()).isZero();
    Map<String, String> outcome = outcomes(r.stdout());
    assertThat(outcome).hasSizeGreaterThan(250);
    assertThat(outcome.values()).containsOnly("ok");
    assertThat(outcome.keySet()).containsAll(REQUIRED);
    assertThat(r.stdout()).contains("0 failed");
  }

  @Test
  void aTemplateThatLetsTheOperatorTagForeignUsersOrTheDetectorReadAnythingFails(@TempDir Path dir)
      throws Exception {
    String template = Files.readString(CfnTemplate.file());
    // drop the explicit deny on tagging foreign users, and widen the detector's objects to the whole bucket
    String mutated = template
        .replace("\"Null\": {\"iam:PermissionsBoundary\": \"true\"}}},", "\"Null\": {\"iam:PermissionsBoundary\": \"false\"}}},")
        .replace("s3:::${Bucket}/${Prefix}AWSLogs/*", "s3:::${Bucket}/*")
        .replace("\"iam:AttachUserPolicy\", \"iam:AddUserToGroup\",", "\"iam:AddUserToGroup\",");
    assertThat(mutated).isNotEqualTo(template);
    Path file = dir.resolve("spacecrab.yaml");
    Files.writeString(file, mutated);
    PythonTools.Result r = PythonTools.run(Duration.ofMinutes(3), Map.of("SPACECRAB_TEMPLATE", file.toString()),
        "python", SCRIPT);
    assertThat(r.exitCode()).as(r.output()).isEqualTo(1);
    Map<String, String> outcome = outcomes(r.stdout());
    assertThat(outcome.entrySet().stream().filter(e -> e.getValue().equals("FAIL")).map(Map.Entry::getKey))
        .contains("widened-refuse-tag-foreign-into-scope", "det-refuse-outside-prefix",
            "widened-refuse-AttachUserPolicy");
  }

  /** case id -> "ok" or "FAIL", from lines "ok   id: ..." and "FAIL id: ...". */
  static Map<String, String> outcomes(String stdout) {
    return stdout.lines().filter(l -> l.startsWith("ok ") || l.startsWith("FAIL "))
        .collect(Collectors.toMap(l -> l.substring(5, l.indexOf(':')).strip(), l -> l.substring(0, 4).strip(),
            (a, b) -> {
              throw new IllegalStateException("case listed twice");
            }));
  }
}
