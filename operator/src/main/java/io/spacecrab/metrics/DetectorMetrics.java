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
  private final Timer recordLag;
  private final Timer messageAge;
  private final AtomicLong lastSweep = new AtomicLong();
  private final java.util.Map<String, AtomicLong> queueCounts = new java.util.concurrent.ConcurrentHashMap<>();
  private final java.util.Map<String, AtomicLong> selfTestLastSeen = new java.util.concurrent.ConcurrentHashMap<>();

  public DetectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    registry.gauge("spacecrab_detector_registry_entries", registrySize);
    registry.gauge("spacecrab_detector_last_poll_epoch_seconds", lastSuccessfulPoll);
    this.alertLatency = Timer.builder("spacecrab_detector_alert_write_seconds")
        .description("From receiving a message to its alerts being durable").register(registry);
    this.recordLag = Timer.builder("spacecrab_detector_record_lag_seconds")
        .description("From a matched record's eventTime to the detector reading it")
        .publishPercentileHistogram().register(registry);
    this.messageAge = Timer.builder("spacecrab_detector_message_age_seconds")
        .description("From a message's SentTimestamp to its receive by the detector").publishPercentileHistogram()
        .register(registry);
    registry.gauge("spacecrab_detector_last_sweep_epoch_seconds", lastSweep);
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

  /** A record of a token was read this long after its eventTime (CloudTrail's delivery plus ours). */
  public void recordLag(Duration sinceEvent) {
    recordLag.record(sinceEvent.isNegative() ? Duration.ZERO : sinceEvent);
  }

  /** A message was received this long after it was sent to the queue. */
  public void messageAge(Duration sinceSent) {
    messageAge.record(sinceSent.isNegative() ? Duration.ZERO : sinceSent);
  }

  /** A sweep of the log bucket ended ({@code outcome}: complete, incomplete, failed, started). */
  public void swept(String outcome, long epochSeconds) {
    counter("spacecrab_detector_sweeps_total", "outcome", outcome).increment();
    if (outcome.equals("complete") || outcome.equals("started")) {
      lastSweep.set(epochSeconds);
    }
  }

  /** The sweep found a log file that no notification had brought to any replica. */
  public void sweptUnannounced() {
    counter("spacecrab_detector_sweep_unannounced_files_total").increment();
  }

  /**
   * SQS's approximate counts of a queue ({@code queue}: notifications or dead_letter; {@code state}:
   * visible, in_flight, delayed).
   */
  public void queueMessages(String queue, String state, long n) {
    queueCounts.computeIfAbsent(queue + "|" + state, k -> {
      AtomicLong value = new AtomicLong();
      io.micrometer.core.instrument.Gauge.builder("spacecrab_detector_queue_messages", value, AtomicLong::get)
          .tags("queue", queue, "state", state).register(registry);
      return value;
    }).set(n);
  }

  /** The current value of a gauge, for tests; NaN when it does not exist. */
  public double gauge(String name, String... tags) {
    var g = registry.find(name).tags(tags).gauge();
    return g == null ? Double.NaN : g.value();
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
