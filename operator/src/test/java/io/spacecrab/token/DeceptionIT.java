package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.KubeTools;
import io.spacecrab.testing.MotoServer;
import io.spacecrab.testing.RealServerFixture;
import io.spacecrab.testing.Tokens;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.User;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Tokens planted on a real API server through a ClusterHoneyToken and single HoneyTokens, then read
 * as three attackers would: with read access to a namespace (everything the built-in {@code edit}
 * role can list there, Secrets included), with only the stolen key, and with read access to IAM.
 * None of them must find anything that tells a token from an ordinary credential.
 */
class DeceptionIT {
  /** Words and names that say what a credential is, wherever an attacker reads text. */
  static final List<String> TELLS = List.of("honey", "canary", "decoy", "spacecrab", "trap", "cluster-token",
      "tripwire");

  RealServerFixture world;
  String tenantA;
  String tenantB;
  String tenantC;

  @BeforeEach
  void plantTokens() {
    // a rollout's users spread over time: two at once, then one every 1-3 s
    world = RealServerFixture.start("--creation-burst=2", "--creation-spacing=PT2S");
    tenantA = world.namespace("payments", Map.of("monitored", "yes"));
    tenantB = world.namespace("checkout", Map.of("monitored", "yes"));
    tenantC = world.namespace("ledger");
    world.client().resource(clusterToken()).create();
    // the security team's own token, planted into tenant C from the operator's namespace
    HoneyToken planted = Tokens.token(world.system, "ledger-deploy", "aws-deploy");
    planted.getSpec().getSecret().setNamespace(tenantC);
    world.client().resource(planted).create();
    await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
      for (String ns : List.of(tenantA, tenantB)) {
        assertThat(world.client().secrets().inNamespace(ns).withName("aws-ci").get()).as(ns).isNotNull();
      }
      assertThat(world.client().secrets().inNamespace(tenantC).withName("aws-deploy").get()).isNotNull();
    });
  }

  @AfterEach
  void tearDown() {
    world.close();
  }

  @Test
  void someoneWhoCanReadTheNamespaceFindsAnOrdinarySecretAndNothingElse() {
    for (String ns : List.of(tenantA, tenantC)) {
      world.cluster.kubectl(List.of("create", "rolebinding", "intruder", "--clusterrole=edit", "--user=intruder",
          "-n", ns)).ok();
      List<String> readable = new ArrayList<>();
      for (String resource : world.cluster.kubectl(List.of("api-resources", "--namespaced", "--verbs=list", "-o",
          "name")).ok().stdout().strip().split("\n")) {
        KubeTools.Result r = world.cluster.kubectl(List.of("get", resource, "-n", ns, "-o", "json",
            "--as=intruder"));
        if (r.exitCode() == 0) {
          readable.add(resource);
          assertNoTell(withoutData(r.stdout()), "kubectl get " + resource + " -n " + ns + " as an editor");
        } else {
          assertThat(r.stderr()).as(resource).contains("forbidden");
        }
      }
      assertThat(readable).as("what the edit role reads").contains("secrets", "events", "configmaps");
      // no token object there, and none readable anywhere by a tenant
      assertThat(readable).noneMatch(r -> r.contains("spacecrab"));
      assertThat(world.client().resources(HoneyToken.class).inNamespace(ns).list().getItems()).isEmpty();
      assertThat(world.client().v1().events().inNamespace(ns).list().getItems()).as("Events in " + ns).isEmpty();

      Secret secret = world.client().secrets().inNamespace(ns).list().getItems().stream()
          .filter(s -> s.getData() != null && s.getData().containsKey("AWS_ACCESS_KEY_ID")).findFirst().orElseThrow();
      assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
      assertThat(secret.getMetadata().getAnnotations()).isNullOrEmpty();
      assertThat(secret.getMetadata().getLabels()).containsOnlyKeys("app.kubernetes.io/component");
      assertThat(secret.getMetadata().getManagedFields()).extracting(f -> f.getManager()).containsOnly("kubectl-create");
    }
  }

  @Test
  void theStolenKeyNamesAnOrdinaryUserAndItsRefusalsSayNothingMore() {
    Secret secret = world.client().secrets().inNamespace(tenantA).withName("aws-ci").get();
    var key = StaticCredentialsProvider.create(AwsBasicCredentials.create(decode(secret, "AWS_ACCESS_KEY_ID"),
        decode(secret, "AWS_SECRET_ACCESS_KEY")));
    MotoServer moto = world.moto;
    try (StsClient sts = StsClient.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
        .credentialsProvider(key).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
        IamClient iam = moto.iam(key);
        S3Client s3 = S3Client.builder().endpointOverride(moto.endpoint()).region(Region.of(MotoServer.REGION))
            .forcePathStyle(true).credentialsProvider(key).httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      String arn = sts.getCallerIdentity().arn();
      assertThat(arn).matches("arn:aws:iam::\\d{12}:user/[A-Za-z0-9+=,.@_-]+");
      assertNoTell(arn, "GetCallerIdentity");
      List<String> refusals = new ArrayList<>();
      for (Runnable denied : List.<Runnable>of(() -> iam.listUsers(), () -> iam.getUser(), () -> s3.listBuckets(),
          () -> iam.listAttachedUserPolicies(r -> r.userName(arn.substring(arn.lastIndexOf('/') + 1))))) {
        try {
          denied.run();
          refusals.add("allowed!");
        } catch (SdkServiceException e) {
          refusals.add(e.getMessage());
        }
      }
      assertThat(refusals).doesNotContain("allowed!").allSatisfy(m -> assertNoTell(m, "an AccessDenied text"));
    }
  }

  @Test
  void someoneWhoCanReadIamSeesOrdinaryUsersMadeOverTime() {
    List<User> users = world.adminIam.listUsers().users().stream().filter(u -> !u.userName().equals("admin"))
        .toList();
    assertThat(users).hasSize(3);
    List<Instant> created = new ArrayList<>();
    for (User u : users) {
      assertThat(u.path()).isEqualTo("/");
      assertNoTell(u.userName(), "a user name");
      var tags = world.adminIam.listUserTags(r -> r.userName(u.userName())).tags();
      assertThat(tags).extracting(t -> t.key() + "=" + t.value()).containsExactly("team=test-cluster");
      var policies = world.adminIam.listUserPolicies(r -> r.userName(u.userName())).policyNames();
      assertThat(policies).containsExactly("default");
      assertNoTell(java.net.URLDecoder.decode(world.adminIam.getUserPolicy(r -> r.userName(u.userName())
          .policyName("default")).policyDocument(), StandardCharsets.UTF_8), "the inline policy");
      assertThat(world.adminIam.listAttachedUserPolicies(r -> r.userName(u.userName())).attachedPolicies()).isEmpty();
      created.add(u.createDate());
    }
    created.sort(null);
    // three users of one apply: two at once, the third its own while later (1-3 s here; 15-45 s by default)
    assertThat(Duration.between(created.get(0), created.get(2))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  private static void assertNoTell(String text, String where) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (String tell : TELLS) {
      assertThat(lower).as("%s must not say '%s'", where, tell).doesNotContain(tell);
    }
  }

  /**
   * The listed objects without their data values: a Secret's values are random credentials and a
   * ConfigMap's a CA certificate, base64 text in which a short word can occur by chance; the
   * Secret's keys stay (they are checked), and its values are what the stolen-key test reads.
   */
  private static String withoutData(String listJson) {
    try {
      var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
      var list = mapper.readTree(listJson);
      for (var item : list.path("items")) {
        for (String field : List.of("data", "binaryData")) {
          var values = item.path(field);
          if (values.isObject()) {
            var keys = new ArrayList<String>();
            values.fieldNames().forEachRemaining(keys::add);
            keys.forEach(k -> ((com.fasterxml.jackson.databind.node.ObjectNode) values).put(k, ""));
          }
        }
      }
      return mapper.writeValueAsString(list);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String decode(Secret secret, String key) {
    return new String(Base64.getDecoder().decode(secret.getData().get(key)), StandardCharsets.UTF_8);
  }

  private ClusterHoneyToken clusterToken() {
    ClusterHoneyToken parent = Tokens.clusterToken("ci-" + tenantA, "monitored", "yes", "aws-ci");
    parent.getSpec().getTemplate().getSpec().getSecret().setFormat("both");
    return parent;
  }
}
