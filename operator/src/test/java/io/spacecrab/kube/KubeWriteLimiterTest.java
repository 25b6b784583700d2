package io.spacecrab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.spacecrab.ratelimit.InMemoryNanoClock;
import io.spacecrab.testing.KubeApi;
import io.spacecrab.testing.KubeWrites;
import java.util.List;
import org.junit.jupiter.api.Test;
import io.spacecrab.testing.OwnJvm;

@OwnJvm
class KubeWriteLimiterTest {

  @Test
  void aBurstGoesAtOnceThenWritesArePacedAtTheRate() throws InterruptedException {
    InMemoryNanoClock clock = new InMemoryNanoClock();
    KubeWriteLimiter limiter = new KubeWriteLimiter(5, 2, clock);
    limiter.acquire();
    limiter.acquire();
    assertThat(clock.nanoTime()).as("the burst does not wait").isZero();
    for (int i = 0; i < 10; i++) {
      limiter.acquire();
    }
    // ten more at 5 per second: two seconds of virtual time, give or take rounding
    assertThat(clock.nanoTime()).isBetween(1_990_000_000L, 2_010_000_000L);
    assertThat(limiter.writes()).isEqualTo(12);
    assertThat(limiter.waitedSeconds()).isGreaterThan(0);
  }

  @Test
  void onARealClientWritesAreLimitedAndReadsAreNot() {
    KubeWriteLimiter limiter = new KubeWriteLimiter(5, 1);
    KubeWrites seen = new KubeWrites();
    try (KubeApi kube = KubeApi.start();
        KubernetesClient client = kube.newClient(b -> KubeClients.withInterceptors(b, "kubectl-create", limiter, List.of(seen)))) {
      for (int i = 0; i < 8; i++) {
        client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
            .withName("cm-" + i).endMetadata().addToData("k", "v").build()).create();
      }
      for (int i = 0; i < 50; i++) {
        client.configMaps().inNamespace("default").withName("cm-" + (i % 8)).get();
      }
      assertThat(client.configMaps().inNamespace("default").list().getItems()).hasSize(8);
      assertThat(limiter.writes()).as("only the creates drew permits").isEqualTo(8);
      assertThat(seen.mostInOneSecond()).as("at 5/s with a burst of 1, no second holds more than 6 writes")
          .isLessThanOrEqualTo(6);
      long spanNanos = seen.timed().get(7).nanos() - seen.timed().get(0).nanos();
      assertThat(spanNanos).as("7 paced writes after the first take at least 1.4 s").isGreaterThanOrEqualTo(1_390_000_000L);
    }
  }
}
