package io.spacecrab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.config.OperatorConfig;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.OperatorUnderTest;
import io.spacecrab.testing.Tokens;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

/** The jar's entry point as a separate process, configured only by flags and environment. */
@OwnJvm
class SpaceCrabMainTest {

  @Test
  void badConfigurationExitsWithEveryProblemListed() throws Exception {
    Process p = java(List.of("operator", "--aws-region=nowhere", "--iam-path=honey"), List.of());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String err = new String(p.getErrorStream().readAllBytes());
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(err).contains("cluster-id is required").contains("aws-region 'nowhere'").contains("iam-path 'honey'")
        .contains("--help");
  }

  @Test
  void helpListsTheSettings() throws Exception {
    Process p = java(List.of("--help"), List.of());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isZero();
    assertThat(new String(p.getInputStream().readAllBytes())).contains("--cluster-id").contains("SPACECRAB_AWS_REGION");
  }

  @Test
  void operatorModeIssuesATokenFromEnvironmentConfiguration() throws Exception {
    MotoServer moto = MotoServer.shared();
    moto.reset();
    try (KubeApi kube = KubeApi.start()) {
      kube.createNamespace(OperatorUnderTest.NAMESPACE);
      kube.createNamespace("apps");
      OperatorConfig config = OperatorUnderTest.config(moto);
      OperatorUnderTest.createRegistry(moto, config);
      Path kubeconfig = Files.createTempFile("kubeconfig", ".yaml");
      Files.writeString(kubeconfig, "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: "
          + kube.url() + "\ncontexts:\n- name: c\n  context:\n    cluster: c\n    user: u\n"
          + "current-context: c\nusers:\n- name: u\n  user:\n    token: t\n");
      var creds = moto.adminCredentials().resolveCredentials();
      int metricsPort;
      try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
        metricsPort = socket.getLocalPort();
      }
      Process p = java(List.of("operator"), List.of("KUBECONFIG=" + kubeconfig,
          "SPACECRAB_METRICS_PORT=" + metricsPort,
          "SPACECRAB_CLUSTER_ID=from-env", "SPACECRAB_AWS_REGION=" + MotoServer.REGION,
          "SPACECRAB_AWS_ENDPOINT=" + moto.endpoint(), "SPACECRAB_REGISTRY_TABLE=" + OperatorUnderTest.TABLE,
          "SPACECRAB_NAMESPACE=" + OperatorUnderTest.NAMESPACE, "SPACECRAB_SERVER_SIDE_APPLY=false",
          "AWS_ACCESS_KEY_ID=" + creds.accessKeyId(), "AWS_SECRET_ACCESS_KEY=" + creds.secretAccessKey()));
      try {
        HoneyToken token = kube.client().resource(Tokens.token("apps", "t", "creds")).create();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
          HoneyToken t = kube.client().resource(token).get();
          return t.getStatus() != null && Conditions.find(t.getStatus().getConditions(), Conditions.READY)
              .map(c -> "Issued".equals(c.getReason())).orElse(false);
        });
        try (var iam = moto.iam(moto.adminCredentials())) {
          String user = kube.client().resource(token).get().getStatus().getUserName();
          assertThat(iam.getUser(r -> r.userName(user)).user().tags())
              .anyMatch(t -> t.value().equals("from-env"));
        }
        // the operator deployment serves its metrics and health
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get(http, metricsPort, "/metrics"))
            .contains("spacecrab_tokens{ready=\"true\"} 1.0").contains("spacecrab_iam_calls_total")
            .contains("spacecrab_kube_writes_total"));
        assertThat(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/healthz")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      } finally {
        p.destroy();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("operator stops on SIGTERM").isTrue();
        Files.deleteIfExists(kubeconfig);
      }
    }
  }

  static String get(HttpClient http, int port, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  static Process java(List<String> args, List<String> env) throws IOException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), SpaceCrabMain.class.getName()));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("SPACECRAB_") || k.startsWith("AWS_"));
    for (String e : env) {
      int eq = e.indexOf('=');
      pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
    }
    if (!env.isEmpty()) {
      // a long-running operator: its output is not read, so it must not fill a pipe
      pb.redirectOutput(new File(System.getProperty("java.io.tmpdir"), "spacecrab-main-test.log"));
      pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    }
    return pb.start();
  }
}
