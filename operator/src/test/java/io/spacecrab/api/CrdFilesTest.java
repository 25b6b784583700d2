package io.spacecrab.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.testing.KubeApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** crds/ is committed for users; it must be exactly what the Java classes generate. */
class CrdFilesTest {

  @Test
  void committedCrdsMatchTheJavaClasses() throws IOException {
    Path committed = Path.of("../crds");
    assertThat(KubeApi.crdFiles()).isNotEmpty();
    for (Path generated : KubeApi.crdFiles()) {
      Path file = committed.resolve(generated.getFileName());
      assertThat(file).as("crds/%s is missing: run 'make crds'", generated.getFileName()).exists();
      assertThat(Files.readString(file)).as("crds/%s is out of date: run 'make crds' and commit",
          generated.getFileName()).isEqualTo(Files.readString(generated));
    }
    try (var files = Files.list(committed)) {
      assertThat(files.filter(f -> f.toString().endsWith(".yml")).count())
          .as("crds/ holds a CRD the classes no longer generate").isEqualTo(KubeApi.crdFiles().size());
    }
  }

  @Test
  void honeyTokenCrdDescribesEveryFieldAndHasTheColumnsOnCallNeeds() throws IOException {
    String crd = Files.readString(Path.of("../crds/honeytokens.spacecrab.io-v1.yml"));
    assertThat(crd).contains("shortNames:\n    - \"ht\"").contains("- \"spacecrab\"");
    for (String column : new String[] {"Ready", "Reason", "Secret", "Triggered", "Age"}) {
      assertThat(crd).contains("name: \"" + column + "\"");
    }
    assertThat(crd).contains("status: {}");
    assertThat(crd.split("description:").length - 1).isGreaterThanOrEqualTo(18);
  }

  @Test
  void clusterHoneyTokenCrdIsClusterScopedDescribesEveryFieldAndShowsTheCounts() throws IOException {
    String crd = Files.readString(Path.of("../crds/clusterhoneytokens.spacecrab.io-v1.yml"));
    assertThat(crd).contains("scope: \"Cluster\"").contains("shortNames:\n    - \"cht\"").contains("- \"spacecrab\"");
    for (String column : new String[] {"Ready", "Desired", "Issued", "Failed", "Reason", "Age"}) {
      assertThat(crd).contains("name: \"" + column + "\"");
    }
    assertThat(crd).contains("status: {}").contains("maxItems: 20");
    for (String field : new String[] {"namespaceSelector", "namespaces", "excludeNamespaces", "template",
        "desired", "ready", "failed", "failingNamespaces", "observedGeneration"}) {
      assertThat(crd).contains(field + ":");
    }
  }
}
