package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Secret;
import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.LogCapture;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.SpaceCrabEnvironment;
import io.spacecrab.testing.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.iam.model.CreateAccessKeyResponse;

/**
 * Every secret access key the operator ever receives (captured at the SDK) must never appear in
 * any log line at DEBUG, any Event, or any status, across issue, drift repair and delete.
 */
@OwnJvm
class NoSecretLeakTest {
  static final String NS = "leaky";
  @RegisterExtension
  final SpaceCrabEnvironment env = SpaceCrabEnvironment.onMockServer().namespaces(NS).build();

  @Test
  void secretAccessKeysNeverReachLogsEventsOrStatus() {
    Set<String> secrets = ConcurrentHashMap.newKeySet();
    ExecutionInterceptor capture = new ExecutionInterceptor() {
      @Override
      public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (context.response() instanceof CreateAccessKeyResponse r) {
          secrets.add(r.accessKey().secretAccessKey());
        }
        return context.response();
      }
    };
    KubeApi kube = env.kube();
    try (LogCapture logs = new LogCapture()) {
      env.startOperator(env.config(), List.of(capture), List.of(), null, Clock.systemUTC());
      HoneyToken token = kube.client().resource(Tokens.token(NS, "t", "creds")).create();
      String first = awaitKeyOtherThan(kube, token, null);
      kube.client().secrets().inNamespace(NS).withName("creds").delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> kube.client().secrets().inNamespace(NS).withName("creds")
          .get() != null);
      HoneyToken ready = kube.client().resource(token).get();
      env.adminIam().deleteAccessKey(r -> r.userName(ready.getStatus().getUserName()).accessKeyId(first));
      awaitKeyOtherThan(kube, token, first);
      List<String> statuses = List.of(String.valueOf(kube.client().resource(token).get().getStatus().getConditions()),
          io.fabric8.kubernetes.client.utils.Serialization.asJson(kube.client().resource(token).get().getStatus()));
      kube.client().resource(token).delete();
      await().atMost(Duration.ofSeconds(30)).until(() -> kube.client().resource(token).get() == null);

      List<String> events = kube.client().v1().events().inAnyNamespace().list().getItems().stream()
          .map(e -> e.getReason() + " " + e.getMessage()).toList();
      assertThat(secrets).hasSize(2);
      List<String> logLines = logs.lines();
      assertThat(logLines).as("log lines at DEBUG").hasSizeGreaterThan(50);
      assertThat(events).isNotEmpty();
      for (String secret : secrets) {
        assertThat(logLines).noneMatch(line -> line.contains(secret));
        assertThat(events).noneMatch(line -> line.contains(secret));
        assertThat(statuses).noneMatch(line -> line.contains(secret));
        String encoded = Base64.getEncoder().encodeToString(secret.getBytes());
        assertThat(logLines).noneMatch(line -> line.contains(encoded));
      }
    }
  }

  static String awaitKeyOtherThan(KubeApi kube, HoneyToken token, String old) {
    String[] key = new String[1];
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      HoneyToken current = kube.client().resource(token).get();
      assertThat(current.getStatus()).isNotNull();
      assertThat(Conditions.find(current.getStatus().getConditions(), Conditions.READY).orElseThrow().getReason())
          .isEqualTo("Issued");
      assertThat(current.getStatus().getAccessKeyId()).isNotNull().isNotEqualTo(old);
      Secret s = kube.client().secrets().inNamespace(NS).withName("creds").get();
      assertThat(s).isNotNull();
      key[0] = current.getStatus().getAccessKeyId();
    });
    return key[0];
  }
}
