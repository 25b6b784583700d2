package io.spacecrab.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.testing.AwsStack;
import io.spacecrab.testing.CfnTemplate;
import io.spacecrab.testing.PythonTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

/** docs/aws.md (docs/security.md points there) says what the template does. */
@OwnJvm
class AwsDocsTest {
  static final Path DOC = PythonTools.root().resolve("docs/aws.md");

  @Test
  void leastPrivilegeTablesAreGeneratedFromTheTemplate() throws Exception {
    PythonTools.Result r = PythonTools.run(Duration.ofMinutes(1), "python", "cloudformation/tests/template.py",
        "privileges");
    assertThat(r.exitCode()).as(r.output()).isZero();
    assertThat(between(Files.readString(DOC), "<!-- least-privilege: generated", "<!-- least-privilege: end -->"))
        .as("docs/aws.md is out of date: run .venv/bin/python cloudformation/tests/template.py privileges docs/aws.md")
        .isEqualTo(between(r.stdout(), "<!-- least-privilege: generated", "<!-- least-privilege: end -->"));
    assertThat(r.stdout()).contains("| CreateBoundedOwnedUsers | Allow | `iam:CreateUser` |", "| NeverWidenAUser | Deny |",
        "| ReadLogFiles | Allow | `s3:GetObject` | `arn:aws:s3:::<LogBucket>/AWSLogs/*` |");
  }

  @Test
  void resourcesMotoCannotDeployAreListed() throws Exception {
    String list = between(Files.readString(DOC), "<!-- moto-unsupported: begin -->", "<!-- moto-unsupported: end -->");
    Set<String> listed = Pattern.compile("`(AWS::[A-Za-z0-9:]+)`").matcher(list).results().map(m -> m.group(1))
        .collect(Collectors.toSet());
    assertThat(listed).isEqualTo(AwsStack.ADAPTER_TYPES);
    assertThat(Files.readString(DOC)).contains(AwsStack.MOTO_TYPES.stream().map(t -> "`" + t + "`").toList());
  }

  @Test
  void everyParameterAndOutputIsDocumented() throws Exception {
    String doc = Files.readString(DOC);
    Map<String, Object> template = CfnTemplate.load(CfnTemplate.file());
    for (String section : new String[] {"Parameters", "Outputs"}) {
      for (Object name : ((Map<?, ?>) template.get(section)).keySet()) {
        assertThat(doc).as("%s %s in docs/aws.md", section, name).contains("`" + name + "`");
      }
    }
    for (String value : new String[] {"clusterId", "aws.region", "aws.registryTable", "aws.permissionsBoundaryArn",
        "aws.queueUrl", "operator.roleArn", "detector.roleArn"}) {
      assertThat(doc).contains("| `" + value + "` |");
    }
  }

  @Test
  void theSecurityModelsLeastPrivilegePointsHere() throws Exception {
    String model = Files.readString(PythonTools.root().resolve("docs/security.md"));
    Matcher section = Pattern.compile("## Least privilege\\n(.*?)(\\n## |$)", Pattern.DOTALL).matcher(model);
    assertThat(section.find()).isTrue();
    assertThat(section.group(1)).contains("(aws.md)").doesNotContain("on `arn:aws:iam::<account>:user/*`");
  }

  static String between(String text, String begin, String end) {
    int from = text.indexOf(begin);
    int to = text.indexOf(end, from);
    assertThat(from).as("marker %s", begin).isGreaterThanOrEqualTo(0);
    assertThat(to).as("marker %s", end).isGreaterThan(from);
    return text.substring(from, to + end.length());
  }
}
