package io.spacecrab.detect;

import io.spacecrab.api.IntakePath;
import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.Timestamps;
import io.spacecrab.api.v1alpha1.PathSighting;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.kube.PipelineHealthStore;
import io.spacecrab.metrics.DetectorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uses of the operator's self-test key: the proof that CloudTrail uses reach the detector. Its
 * {@code sts:GetCallerIdentity} calls are recorded per intake path (metric and the PipelineHealth
 * object), never as a breach; any other call made with that key is a use like any token's.
 */
public final class SelfTestUses {
  private static final Logger log = LoggerFactory.getLogger(SelfTestUses.class);
  static final String SELF_TEST_CALL = "GetCallerIdentity";

  private final String clusterId;
  private final PipelineHealthStore health;
  private final DetectorMetrics metrics;
  private final Clock clock;

  public SelfTestUses(String clusterId, PipelineHealthStore health, DetectorMetrics metrics, Clock clock) {
    this.clusterId = clusterId;
    this.health = health;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** True for this cluster's self-test key. */
  boolean isSelfTest(RegistryRecord entry) {
    return entry.uid() != null && entry.uid().startsWith(SpaceCrab.SELF_TEST_UID + "-")
        && clusterId.equals(entry.cluster());
  }

  /**
   * Records the self-test calls among these matches of the self-test key and returns the others
   * (calls the self-test never makes), which the caller alerts as usual. Throws when the
   * PipelineHealth object cannot be written: the message is kept and read again.
   */
  List<TokenMatch> record(IntakePath path, List<TokenMatch> matches) {
    List<TokenMatch> others = new ArrayList<>();
    Instant latest = null;
    Instant now = clock.instant();
    for (TokenMatch m : matches) {
      CloudTrailRecord r = m.record();
      Instant time = Timestamps.parse(r.eventTime());
      if (!"sts.amazonaws.com".equals(r.eventSource()) || !SELF_TEST_CALL.equals(r.eventName())
          || r.errorCode() != null || time == null) {
        others.add(m);
        continue;
      }
      metrics.selfTestSeen(path.tag(), Duration.between(time, now), now.getEpochSecond());
      if (latest == null || time.isAfter(latest)) {
        latest = time;
      }
    }
    if (latest != null) {
      write(path, latest, now);
    }
    if (!others.isEmpty()) {
      log.warn("the self-test key made {} call(s) the self-test never makes; alerting them", others.size());
    }
    return others;
  }

  private void write(IntakePath path, Instant eventTime, Instant now) {
    health.updateStatus(status -> {
      PathSighting current = path.sighting(status);
      Instant recorded = current == null ? null : Timestamps.parse(current.getLastEventTime());
      if (recorded != null && !eventTime.isAfter(recorded)) {
        return; // a late or repeated file: the newer sighting stands
      }
      PathSighting seen = new PathSighting();
      seen.setLastEventTime(eventTime.toString());
      seen.setDetectedAt(now.toString());
      path.record(status, seen);
    });
    log.info("self-test use of {} seen through {}", eventTime, path.tag());
  }
}
