package io.spacecrab.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The detector's pipeline health. Tag values come from small closed sets (outcomes, reasons);
 * never a token, namespace, key id or object key.
 */
public class DetectorMetrics {
  private final MeterRegistry registry;
  private final AtomicLong registrySize = new AtomicLong();
  private final AtomicLong lastSuccessfulPoll = new AtomicLong();
  private final Timer alertLatency;
  private final java.util.Map<String, AtomicLong> selfTestLastSeen = new java.util.concurrent.ConcurrentHashMap<>();

  public DetectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("spacecrab_detector_registry_entries", registrySize);
    registry.gauge("spacecrab_detector_last_poll_epoch_seconds", lastSuccessfulPoll);
    this.alertLatency = Timer.builder("spacecrab_detector_alert_write_seconds")
        .description("From receiving a message to its alerts being durable").register(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** A message was deleted, kept for retry, skipped as a test event, or left for the DLQ as unrecognised. */
  public void message(String outcome) {
    counter("spacecrab_detector_messages_total", "outcome", outcome).increment();
  }

  /** A log file was read, skipped (digest, not a log), or failed (the reason is the tag). */
  public void file(String outcome) {
    counter("spacecrab_detector_files_total", "outcome", outcome).increment();
  }

  /**
   * n CloudTrail records were read. {@code repeat}: the message was received before (SQS
   * ApproximateReceiveCount &gt; 1: kept for a retry, or its visibility timeout ran out), so these
   * records were most likely read already; the first receives alone measure the trail.
   */
  public void recordsRead(long n, boolean repeat) {
    counter("spacecrab_detector_records_read_total", "receive", repeat ? "repeat" : "first").increment(n);
  }

  public void matches(long n) {
    counter("spacecrab_detector_matches_total").increment(n);
  }

  /** Something in the pipeline is not working as it should; the reason says what. */
  public void degraded(String reason) {
    counter("spacecrab_detector_pipeline_degraded_total", "reason", reason).increment();
  }

  public void alertWritten(Duration sinceReceive) {
    alertLatency.record(sinceReceive);
  }

  /**
   * A self-test use arrived through an intake path ({@code s3} or {@code eventbridge}): the time from
   * the call (CloudTrail's eventTime) to the detector reading it, and when that was.
   */
  public void selfTestSeen(String path, Duration delay, long epochSeconds) {
    Timer.builder("spacecrab_self_test_delay_seconds")
        .description("From a self-test call (its CloudTrail eventTime) to the detector reading it, per intake path")
        .tag("path", path).publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofSeconds(1)).maximumExpectedValue(Duration.ofHours(1))
        .register(registry).record(delay.isNegative() ? Duration.ZERO : delay);
    selfTestLastSeen.computeIfAbsent(path, p -> {
      AtomicLong seen = new AtomicLong();
      registry.gauge("spacecrab_self_test_last_seen_epoch_seconds", io.micrometer.core.instrument.Tags.of("path", p),
          seen);
      return seen;
    }).set(epochSeconds);
  }

  /** The in-memory registry was re-read and now holds n entries. */
  public void registryRefreshed(long n) {
    registrySize.set(n);
    counter("spacecrab_detector_registry_refreshes_total").increment();
  }

  public void polled(long epochSeconds) {
    lastSuccessfulPoll.set(epochSeconds);
  }

  /** The current count of a counter, for tests and the demo. */
  public double count(String name, String... tags) {
    Counter c = registry.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  private Counter counter(String name, String... tags) {
    return Counter.builder(name).tags(tags).register(registry);
  }
}
