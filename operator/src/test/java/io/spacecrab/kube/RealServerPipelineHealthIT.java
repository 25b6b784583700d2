package io.spacecrab.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.Conditions;
import io.spacecrab.api.v1alpha1.PathSighting;
import io.spacecrab.api.v1alpha1.PipelineHealthStatus;
import io.spacecrab.testing.RealCluster;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The PipelineHealth object on the real API server: its two writers (operator, detector) never
 * overwrite each other's fields, because a write on a stale read is refused with 409 (the mock API
 * server accepts stale status writes, so only a real one shows this), and kubectl shows the verdict.
 */
class RealServerPipelineHealthIT {
  final RealCluster cluster = RealCluster.shared();

  @Test
  void aWriteOnAStaleReadIsRefusedAndRetriedSoBothWritersFieldsSurvive() {
    String ns = cluster.createUniqueNamespace("health");
    PipelineHealthStore operator = new PipelineHealthStore(cluster.client(), ns);
    PipelineHealthStore detector = new PipelineHealthStore(cluster.newClient(b -> { }), ns);
    operator.ensure();
    operator.ensure(); // idempotent

    AtomicInteger attempts = new AtomicInteger();
    Instant now = Instant.parse("2026-12-02T10:00:00Z");
    operator.updateStatus(status -> {
      if (attempts.incrementAndGet() == 1) {
        // the detector writes between the operator's read and its write
        detector.updateStatus(s -> s.setS3(sighting("2026-12-02T09:59:58Z")));
      }
      status.setCalls(new java.util.ArrayList<>(List.of(now.toString())));
      status.setLastCallTime(now.toString());
      status.setConditions(Conditions.set(status.getConditions(), "S3Delivering", true, "Delivering", "ok", null, now));
    });

    assertThat(attempts).as("the first write, on a stale read, was refused").hasValue(2);
    PipelineHealthStatus status = operator.get().orElseThrow().getStatus();
    assertThat(status.getS3().getLastEventTime()).isEqualTo("2026-12-02T09:59:58Z");
    assertThat(status.getCalls()).containsExactly(now.toString());
    assertThat(cluster.kubectl(List.of("get", "plh", "-n", ns)).ok().stdout())
        .contains("S3").contains("EVENTBRIDGE").contains("LASTCALL").contains("True").contains(now.toString());
  }

  static PathSighting sighting(String eventTime) {
    PathSighting s = new PathSighting();
    s.setLastEventTime(eventTime);
    s.setDetectedAt(eventTime);
    return s;
  }
}
