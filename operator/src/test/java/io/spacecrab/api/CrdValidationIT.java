package io.spacecrab.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.spacecrab.api.v1alpha1.AlertSink;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenStatus;
import io.spacecrab.api.v1alpha1.SecretTarget;
import io.spacecrab.testing.KubeTools;
import io.spacecrab.testing.RealCluster;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the real API server decides from the generated CRDs, through the real kubectl: schema
 * (enums, required fields, unknown fields), CEL rules, defaults, descriptions, server-side apply.
 * The mock API server accepts every one of the manifests refused here.
 */
class CrdValidationIT {
  final RealCluster cluster = RealCluster.shared();
  String ns;

  @BeforeEach
  void namespace() {
    ns = cluster.createUniqueNamespace("crd");
  }

  @Test
  void refusesBadEnumsWithTheCrdsOwnMessages() {
    assertRefused(honeyToken("a", "  deletionPolicy: Garbage\n  secret: {name: s}"),
        "spec.deletionPolicy: Unsupported value: \"Garbage\": supported values: \"Delete\", \"Retain\"");
    assertRefused(honeyToken("b", "  secret: {name: s, format: yaml}"),
        "spec.secret.format: Unsupported value: \"yaml\": supported values: \"both\", \"credentials\", \"env\"");
    assertRefused(clusterHoneyToken("enum", "  template:\n    spec:\n      secret: {name: s, format: toml}"),
        "spec.template.spec.secret.format: Unsupported value: \"toml\"");
    assertRefused(alertSink("a", "  type: carrier-pigeon\n  secretRef: {name: x}"),
        "spec.type: Unsupported value: \"carrier-pigeon\": supported values: \"email\", \"pagerduty\", \"slack\","
            + " \"webhook\"");
    assertNothingCreated();
  }

  @Test
  void refusesMissingRequiredFields() {
    assertRefused(honeyToken("a", "  secret: {format: env}"), "spec.secret.name: Required value");
    assertRefused(honeyToken("b", "  owner: nobody"), "spec.secret: Required value");
    assertRefused(clusterHoneyToken("required", "  template:\n    spec:\n      secret: {}"),
        "spec.template.spec.secret.name: Required value");
    assertRefused(clusterHoneyToken("no-template", "  namespaces: [a]"), "spec.template: Required value");
    assertRefused(alertSink("a", "  type: slack"), "spec.secretRef: Required value");
    assertNothingCreated();
  }

  @Test
  void refusesUnknownFieldsWithStrictFieldValidation() {
    assertRefused(honeyToken("a", "  secret: {name: s, colour: red}"), "unknown field \"spec.secret.colour\"");
    assertRefused(honeyToken("b", "  secret: {name: s}\n  colour: red"), "unknown field \"spec.colour\"");
    assertRefused(clusterHoneyToken("unknown", "  selector: {}\n  template:\n    spec:\n      secret: {name: s}"),
        "unknown field \"spec.selector\"");
    assertRefused(alertSink("a", "  type: slack\n  secretRef: {name: x, key: y}"),
        "unknown field \"spec.secretRef.key\"");
    assertRefused(honeyToken("c", "  secret: {name: s, region: moon-1}"), "spec.secret.region: Invalid value: \"moon-1\"");
    assertNothingCreated();
  }

  @Test
  void appliesTheSchemaDefaults() {
    apply(honeyToken("defaults", "  secret: {name: s}")).ok();
    HoneyToken created = cluster.client().resources(HoneyToken.class).inNamespace(ns).withName("defaults").get();
    assertThat(created.getSpec().getDeletionPolicy()).hasToString("Delete");
    assertThat(created.getSpec().getSecret().getFormat()).hasToString("env");
    assertThat(created.getSpec().getSecret().getCredentialsKey()).isEqualTo("credentials");
  }

  /** userName may be set before the token is issued, but once set neither changed nor removed. */
  @Test
  void userNameRuleRefusesChangeAndRemovalButAllowsFirstSetting() {
    apply(honeyToken("named", "  secret: {name: s}")).ok();
    apply(honeyToken("named", "  secret: {name: s}\n  userName: first-user")).ok();
    assertRefused(honeyToken("named", "  secret: {name: s}\n  userName: second-user"),
        "spec: Invalid value: userName cannot change once set");
    KubeTools.Result removed = apply(honeyToken("named", "  secret: {name: s}"));
    assertThat(removed.exitCode()).isNotZero();
    assertThat(removed.stderr()).contains("userName cannot be removed once set");
    assertThat(cluster.client().resources(HoneyToken.class).inNamespace(ns).withName("named").get()
        .getSpec().getUserName()).isEqualTo("first-user");
  }

  /** Once issued, a token's user is fixed: adding a spec.userName naming another user is refused. */
  @Test
  void aUserNameAddedToAnIssuedTokenIsRefusedUnlessItNamesTheIssuedUser() {
    apply(honeyToken("issued", "  secret: {name: s}")).ok();
    // the operator's status write: issued as a generated name
    HoneyToken token = cluster.client().resources(HoneyToken.class).inNamespace(ns).withName("issued").get();
    HoneyTokenStatus status = new HoneyTokenStatus();
    status.setUserName("build-agent-7");
    token.setStatus(status);
    cluster.client().resources(HoneyToken.class).inNamespace(ns).resource(token).updateStatus();

    assertRefused(honeyToken("issued", "  secret: {name: s}\n  userName: someone-else"),
        "spec.userName cannot name another IAM user once the token is issued");
    apply(honeyToken("issued", "  secret: {name: s}\n  userName: build-agent-7")).ok();
    // status writes stay possible whatever the spec says
    HoneyToken now = cluster.client().resources(HoneyToken.class).inNamespace(ns).withName("issued").get();
    now.getStatus().setAccessKeyId("AKIAEXAMPLE000000001");
    cluster.client().resources(HoneyToken.class).inNamespace(ns).resource(now).updateStatus();
  }

  @Test
  void explainPrintsTheJavaDescriptions() {
    String out = squash(cluster.kubectl(List.of("explain", "honeytoken.spec.secret")).ok().stdout());
    assertThat(out).contains("The Secret in this namespace that receives the access key.");
    for (Field field : SecretTarget.class.getDeclaredFields()) {
      JsonPropertyDescription description = field.getAnnotation(JsonPropertyDescription.class);
      if (description != null) {
        assertThat(out).as("description of %s", field.getName()).contains(squash(description.value()));
      }
    }
    assertThat(out).contains("enum: both, credentials, env").contains("name <string> -required-");
    String cht = squash(cluster.kubectl(List.of("explain", "clusterhoneytoken.spec")).ok().stdout());
    assertThat(cht).contains("Namespaces that never get a token, even when selected or listed.");
  }

  @Test
  void serverSideApplyTracksOwnersAndReportsConflicts() {
    apply(honeyToken("shared", "  secret: {name: s}\n  owner: team-a"), "--server-side").ok();
    KubeTools.Result conflict = apply(honeyToken("shared", "  secret: {name: s}\n  owner: team-b"), "--server-side",
        "--field-manager=intruder");
    assertThat(conflict.exitCode()).isNotZero();
    assertThat(conflict.stderr()).contains("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.owner");
    HoneyToken unchanged = cluster.client().resources(HoneyToken.class).inNamespace(ns).withName("shared").get();
    assertThat(unchanged.getSpec().getOwner()).isEqualTo("team-a");
    assertThat(unchanged.getMetadata().getManagedFields()).singleElement()
        .satisfies(f -> assertThat(f.getManager() + "/" + f.getOperation()).isEqualTo("kubectl/Apply"));

    apply(honeyToken("shared", "  secret: {name: s}\n  owner: team-b"), "--server-side", "--field-manager=intruder",
        "--force-conflicts").ok();
    HoneyToken taken = cluster.client().resources(HoneyToken.class).inNamespace(ns).withName("shared").get();
    assertThat(taken.getSpec().getOwner()).isEqualTo("team-b");
    assertThat(taken.getMetadata().getManagedFields())
        .filteredOn(f -> f.getFieldsV1().getAdditionalProperties().toString().contains("f:owner"))
        .extracting(f -> f.getManager()).containsExactly("intruder");
  }

  @Test
  void everyExampleIsAcceptedOnceItsNamespacesExist() throws IOException {
    Path examples = examplesDir();
    List<Path> files;
    try (Stream<Path> list = Files.list(examples)) {
      files = list.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    Set<String> namespaces = new TreeSet<>();
    int objects = 0;
    for (Path file : files) {
      try (InputStream in = Files.newInputStream(file)) {
        for (HasMetadata item : cluster.client().load(in).items()) {
          objects++;
          if (item.getMetadata().getNamespace() != null) {
            namespaces.add(item.getMetadata().getNamespace());
          }
        }
      }
    }
    for (String namespace : namespaces) {
      if (cluster.client().namespaces().withName(namespace).get() == null) {
        cluster.createNamespace(namespace);
      }
    }
    for (Path file : files) {
      KubeTools.Result r = cluster.kubectl(List.of("apply", "-f", file.toString()));
      assertThat(r.exitCode()).as("kubectl apply -f %s: %s", file.getFileName(), r.stderr()).isZero();
    }
    KubeTools.Result all = cluster.kubectl(List.of("get", "-f", examples.toString(), "-o", "name")).ok();
    assertThat(all.stdout().lines().count()).isEqualTo(objects);
    assertThat(all.stdout()).contains("honeytoken.spacecrab.io/deploy-credentials",
        "clusterhoneytoken.spacecrab.io/ci-credentials", "alertsink.spacecrab.io/soc");
  }

  private KubeTools.Result apply(String manifest, String... flags) {
    List<String> args = new java.util.ArrayList<>(List.of("apply", "-f", "-"));
    args.addAll(List.of(flags));
    return cluster.kubectl(manifest, args.toArray(String[]::new));
  }

  private void assertRefused(String manifest, String message) {
    KubeTools.Result r = apply(manifest);
    assertThat(r.exitCode()).as("refused: %s", manifest).isNotZero();
    assertThat(r.stderr()).contains(message);
  }

  private void assertNothingCreated() {
    assertThat(cluster.client().resources(HoneyToken.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat(cluster.client().resources(AlertSink.class).inNamespace(ns).list().getItems()).isEmpty();
    assertThat(cluster.client().resources(ClusterHoneyToken.class).list().getItems())
        .noneMatch(c -> c.getMetadata().getName().startsWith(ns));
  }

  private String honeyToken(String name, String spec) {
    return "apiVersion: spacecrab.io/v1alpha1\nkind: HoneyToken\nmetadata: {name: " + name + ", namespace: " + ns
        + "}\nspec:\n" + spec + "\n";
  }

  /** Named after the test's namespace: ClusterHoneyTokens are cluster-scoped. */
  private String clusterHoneyToken(String name, String spec) {
    return "apiVersion: spacecrab.io/v1alpha1\nkind: ClusterHoneyToken\nmetadata: {name: " + ns + "-" + name
        + "}\nspec:\n" + spec + "\n";
  }

  private String alertSink(String name, String spec) {
    return "apiVersion: spacecrab.io/v1alpha1\nkind: AlertSink\nmetadata: {name: " + name + ", namespace: " + ns
        + "}\nspec:\n" + spec + "\n";
  }

  private static String squash(String text) {
    return text.replaceAll("\\s+", " ");
  }

  private static Path examplesDir() {
    Path dir = Path.of("../examples");
    return Files.isDirectory(dir) ? dir : Path.of("examples");
  }
}
