package io.spacecrab.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.v1alpha1.HoneyToken;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real control plane itself: what the other real-server tests rely on. */
class RealClusterSmokeIT {
  final RealCluster cluster = RealCluster.shared();

  @Test
  void servesTheCrdsToTheRealKubectl() {
    KubeTools.Result r = cluster.kubectl(List.of("api-resources", "--api-group=spacecrab.io", "-o", "name")).ok();
    assertThat(r.stdout().lines()).containsExactlyInAnyOrder("alertsinks.spacecrab.io",
        "clusterhoneytokens.spacecrab.io", "honeytokenalerts.spacecrab.io", "honeytokens.spacecrab.io",
        "pipelinehealths.spacecrab.io");
    assertThat(cluster.kubectl(List.of("version", "-o", "json")).ok().stdout()).contains("\"gitVersion\": \"v1.35.4\"");
  }

  @Test
  void runsTheRealHelmAgainstIt() {
    KubeTools.Result r = cluster.helm(List.of("list", "--all-namespaces", "-o", "json")).ok();
    assertThat(r.stdout().trim()).isEqualTo("[]");
    assertThat(cluster.helm(List.of("version", "--short")).ok().stdout()).startsWith("v3.22.0");
  }

  @Test
  void enforcesRbacOnServiceAccountTokens() {
    String ns = "smoke-rbac";
    cluster.createNamespace(ns);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        cluster.client().serviceAccounts().inNamespace(ns).withName("default").get() != null);
    String token = cluster.serviceAccountToken(ns, "default", Duration.ofMinutes(10));
    try (KubernetesClient sa = cluster.clientFor(token)) {
      assertThatThrownBy(() -> sa.secrets().inNamespace(ns).list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
      cluster.client().rbac().roleBindings().inNamespace(ns).resource(new RoleBindingBuilder()
          .withNewMetadata().withName("edit").endMetadata()
          .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "edit")
          .addNewSubject().withKind("ServiceAccount").withName("default").withNamespace(ns).endSubject()
          .build()).create();
      await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
          assertThat(sa.secrets().inNamespace(ns).list().getItems()).isEmpty());
      // the CRDs are in no aggregated role: 'edit' does not reach them
      assertThatThrownBy(() -> sa.resources(HoneyToken.class).inNamespace(ns).list())
          .isInstanceOf(KubernetesClientException.class)
          .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403));
    }
    KubeTools.Result canI = KubeTools.run("kubectl", List.of("--kubeconfig=" + cluster.kubeconfigFor(token),
        "auth", "can-i", "list", "secrets", "-n", ns), java.util.Map.of(), Duration.ofSeconds(30));
    assertThat(canI.stdout().trim()).isEqualTo("yes");
  }

  @Test
  void deletesANamespaceAndWhatIsInIt() {
    String ns = "smoke-delete";
    cluster.createNamespace(ns);
    cluster.client().configMaps().inNamespace(ns).resource(new io.fabric8.kubernetes.api.model.ConfigMapBuilder()
        .withNewMetadata().withName("x").endMetadata().addToData("a", "b").build()).create();
    cluster.kubectl(List.of("delete", "namespace", ns, "--wait=false")).ok();
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client().namespaces().withName(ns).get() == null);
  }
}
