package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.spacecrab.api.v1alpha1.AlertExposure;
import io.spacecrab.api.v1alpha1.TokenRef;
import io.spacecrab.testing.OwnJvm;
import io.spacecrab.testing.Receiver;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reads behind an exposure fail soft: an API server that refuses or stalls gives Unknown, never an exception. */
@OwnJvm
class ExposureReaderTest {
  Receiver apiServer;
  KubernetesClient client;

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (apiServer != null) {
      apiServer.close();
    }
  }

  @Test
  void aRefusedReadGivesForbiddenWithWhatWasBeingRead() {
    apiServer = Receiver.answering(new Receiver.Answer(403, Map.of("Content-Type", "application/json"),
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Forbidden\",\"code\":403}"));

    AlertExposure exposure = reader(Duration.ofSeconds(30)).read(new TokenRef("payments", "deploy", "u1"));

    assertThat(exposure.getState()).isEqualTo("Unknown");
    assertThat(exposure.getReason()).isEqualTo("Forbidden");
    assertThat(exposure.getMessage()).contains("reading the HoneyToken");
    assertThat(exposure.getWorkloads()).isEmpty();
  }

  @Test
  void aStalledApiServerGivesTimeoutWithinTheDeadline() {
    apiServer = Receiver.answering(new Receiver.Answer(200, Map.of("Content-Type", "application/json"), "{}",
        Duration.ofSeconds(30), Duration.ZERO));

    long start = System.nanoTime();
    AlertExposure exposure = reader(Duration.ofMillis(500)).read(new TokenRef("payments", "deploy", "u1"));

    assertThat(exposure.getReason()).isEqualTo("Timeout");
    assertThat(exposure.getMessage()).contains("longer than");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not held for the server's 30 s")
        .isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void anAlertNamingNoTokenGivesTokenNotFoundWithoutAnyRead() {
    apiServer = Receiver.answering(500);

    AlertExposure exposure = reader(Duration.ofSeconds(30)).read(null);

    assertThat(exposure.getReason()).isEqualTo("TokenNotFound");
    assertThat(apiServer.requests()).isEmpty();
  }

  private ExposureReader reader(Duration deadline) {
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder().withMasterUrl(apiServer.url("/"))
        .withRequestRetryBackoffLimit(0).withRequestTimeout(60_000).build()).build();
    return new ExposureReader(client, Clock.systemUTC(), deadline);
  }
}
