package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.kube.LeaseLeadership;
import io.spacecrab.metrics.DetectorMetrics;
import io.spacecrab.testing.RealServerFixture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sweep's Lease and ledger against a real API server, which decides who holds a Lease and
 * refuses stale writes (the mock server accepts them).
 */
class RealServerSweepIT {
  RealServerFixture world;
  final List<LeaseLeadership> contenders = new ArrayList<>();

  @AfterEach
  void tearDown() {
    contenders.forEach(LeaseLeadership::close);
    if (world != null) {
      world.close();
    }
  }

  @Test
  void oneReplicaAtATimeHoldsTheSweepLeaseAndAnotherTakesOverWhenItStops() throws InterruptedException {
    world = RealServerFixture.withoutOperator();
    String ns = world.namespace("detector");
    for (int i = 0; i < 3; i++) {
      contenders.add(LeaseLeadership.start(world.client(), ns, "sweep", "detector-" + i));
    }
    AtomicInteger most = new AtomicInteger();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
      most.accumulateAndGet(leaders(), Math::max);
      return leaders() == 1;
    });
    // watch for a while: never two at once
    long until = System.nanoTime() + Duration.ofSeconds(8).toNanos();
    while (System.nanoTime() < until) {
      most.accumulateAndGet(leaders(), Math::max);
      Thread.sleep(20); // sampling, not waiting for a condition
    }
    assertThat(most.get()).isEqualTo(1);
    LeaseLeadership first = contenders.stream().filter(LeaseLeadership::isLeader).findFirst().orElseThrow();
    String holder = world.client().leases().inNamespace(ns).withName("sweep").get().getSpec().getHolderIdentity();
    assertThat(holder).startsWith("detector-");

    first.close();
    await().atMost(Duration.ofSeconds(60)).until(() -> leaders() == 1);
    assertThat(first.isLeader()).isFalse();
    assertThat(world.client().leases().inNamespace(ns).withName("sweep").get().getSpec().getHolderIdentity())
        .isNotEqualTo(holder);
  }

  @Test
  void replicasSharingFinishedFilesAtOnceLoseNoneAndTheMarkNeverMovesBack() throws Exception {
    world = RealServerFixture.withoutOperator();
    String ns = world.namespace("detector");
    Instant now = Instant.now();
    SweepLedger ledger = new SweepLedger(world.client(), ns, "sweep");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Future<?>> done = new ArrayList<>();
    for (int r = 0; r < 4; r++) {
      int replica = r;
      done.add(pool.submit(() -> {
        ReadFiles files = new ReadFiles(1000);
        LogSweep sweep = new LogSweep(null, "b", "", Duration.ofMinutes(5), files, ledger, () -> false, f -> true,
            new DetectorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
        for (int i = 0; i < 20; i++) {
          files.finished(ReadFiles.fingerprint("b", "k-" + replica + "-" + i, "e"), now);
          sweep.share();
        }
        // what lost every race is shared at a later tick, as the detector's schedule does
        while (!files.unshared().isEmpty()) {
          sweep.share();
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    SweepLedger.State state = ledger.read();
    assertThat(state.files()).hasSize(80);
    for (int r = 0; r < 4; r++) {
      for (int i = 0; i < 20; i++) {
        assertThat(state.files()).containsKey(ReadFiles.fingerprint("b", "k-" + r + "-" + i, "e"));
      }
    }

    ledger.write(java.util.Map.of(), now.minusSeconds(3600), now);
    ledger.write(java.util.Map.of(), now.minusSeconds(3600), now.minusSeconds(600));
    assertThat(ledger.read().mark()).isEqualTo(now);
  }

  int leaders() {
    return (int) contenders.stream().filter(LeaseLeadership::isLeader).count();
  }
}
