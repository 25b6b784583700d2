package io.spacecrab.detect;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.spacecrab.api.IntakePath;
import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.backoff.Backoff;
import io.spacecrab.aws.LogFile;
import io.spacecrab.aws.LogObjects;
import io.spacecrab.aws.MessageQueue;
import io.spacecrab.aws.QueueMessage;
import io.spacecrab.kube.EventRecorder;
import io.spacecrab.kube.LeaseLeadership;
import io.spacecrab.metrics.DetectorMetrics;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The detector deployment: long-polls the queue, reads the CloudTrail files or events each message
 * names, matches every record against the registry, writes alerts, and deletes a message only
 * when every alert it produced is durable. A message it cannot fully handle stays on the queue;
 * after its retries the queue's redrive policy moves it to the dead-letter queue. With a
 * {@link LogSweep}, the replica that holds the sweep Lease also reads the log files no notification
 * brought (see docs/detector.md).
 */
public final class Detector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Detector.class);
  static final int BATCH = 10;
  static final int MAX_MATCHES_PER_MESSAGE = 10_000;
  static final int MAX_UNKNOWN_PER_MESSAGE = 1_000;
  /** Waits after failed polls of the queue. */
  static final Backoff POLL_BACKOFF = new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(1));
  /** How often the queues' depths are read (GetQueueAttributes). */
  static final Duration QUEUE_STATS_EVERY = Duration.ofSeconds(30);
  /** How often finished files are shared with the other replicas, at most. */
  static final Duration SHARE_EVERY = Duration.ofSeconds(30);

  /** How the detector runs. */
  public record Settings(int concurrency, int pollWaitSeconds, Duration registryRefresh) {}

  private final MessageQueue queue;
  private final LogObjects logs;
  private final RegistryCache registry;
  private final AlertWriter writer;
  private final SelfTestUses selfTest;
  private final DetectorMetrics metrics;
  private final EventRecorder events;
  private final HasMetadata self;
  private final Settings settings;
  private final Clock clock;
  private final ReadFiles readFiles;
  private final MessageQueue deadLetters;
  private LogSweep sweep;
  private Duration sweepInterval;
  private LeaseLeadership leadership;
  private final CloudTrailParser parser = new CloudTrailParser();
  private final Map<String, Instant> lastDegradedEvent = new ConcurrentHashMap<>();
  private final List<Thread> workers = new ArrayList<>();
  /** Pollers waiting on the queue (not handling a batch): the only ones a shutdown interrupts. */
  private final java.util.Set<Thread> receiving = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.CountDownLatch registryLoaded = new java.util.concurrent.CountDownLatch(1);
  private ScheduledExecutorService scheduler;
  private volatile boolean running;

  public Detector(MessageQueue queue, LogObjects logs, RegistryCache registry, AlertWriter writer,
      SelfTestUses selfTest, DetectorMetrics metrics, EventRecorder events, HasMetadata self, Settings settings,
      Clock clock, ReadFiles readFiles, MessageQueue deadLetters) {
    this.selfTest = selfTest;
    this.queue = queue;
    this.logs = logs;
    this.registry = registry;
    this.writer = writer;
    this.metrics = metrics;
    this.events = events;
    this.self = self;
    this.settings = settings;
    this.clock = clock;
    this.readFiles = readFiles;
    this.deadLetters = deadLetters;
  }

  /**
   * Before {@link #start()}: sweep {@code bucket} under {@code prefix} every {@code interval} (a
   * {@link LogSweep} over this detector's log objects and finished files) while {@code leadership}
   * (closed with the detector) says this replica leads; {@code ledger} shares finished files between replicas.
   */
  public void sweepWith(String bucket, String prefix, Duration interval, SweepLedger ledger,
      LeaseLeadership leadership) {
    this.sweep = new LogSweep(logs, bucket, prefix, interval, readFiles, ledger, leadership::isLeader,
        this::readSwept, metrics, clock);
    this.sweepInterval = interval;
    this.leadership = leadership;
  }

  /** Loads the registry, then starts the refresh schedule and the pollers. */
  public void start() {
    running = true;
    // registry refresh, queue depths and the sweep each get a thread: a long sweep delays neither
    scheduler = Executors.newScheduledThreadPool(3, r -> new Thread(r, "detector-background"));
    scheduler.scheduleWithFixedDelay(this::refreshRegistry, 0, settings.registryRefresh().toMillis(),
        TimeUnit.MILLISECONDS);
    scheduler.scheduleWithFixedDelay(this::readQueueDepths, 0, QUEUE_STATS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    if (sweep != null) {
      long share = Math.min(SHARE_EVERY.toMillis(), Math.max(100, sweepInterval.toMillis() / 2));
      scheduler.scheduleWithFixedDelay(sweep::share, share, share, TimeUnit.MILLISECONDS);
      scheduler.scheduleWithFixedDelay(this::sweepOnce, sweepInterval.toMillis(), sweepInterval.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    for (int i = 0; i < settings.concurrency(); i++) {
      Thread t = new Thread(this::pollLoop, "detector-" + i);
      t.start();
      workers.add(t);
    }
    log.info("detector started: {} poller(s)", settings.concurrency());
  }

  /** True once the registry is loaded and the pollers run (readiness). */
  public boolean ready() {
    return running && registryLoaded.getCount() == 0 && healthy();
  }

  /** True while every poller thread is alive (liveness; never depends on AWS being reachable). */
  public boolean healthy() {
    return running && workers.stream().allMatch(Thread::isAlive);
  }

  /**
   * Stops polling: pollers waiting on the queue are interrupted, a poller handling a batch finishes
   * it first (its messages are deleted once their alerts are written), so a shutdown loses nothing
   * and leaves nothing half-done; messages not yet received stay on the queue for the next replica.
   */
  @Override
  public void close() {
    running = false;
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
    if (sweep != null && scheduler != null) {
      try {
        // a sweep cut short puts back the files it could not share
        scheduler.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      // the next Lease holder need not read again what this replica finished with
      sweep.share();
    }
    if (leadership != null) {
      try {
        leadership.close();
      } catch (Exception e) {
        log.warn("could not give up the sweep Lease: {}", e.toString());
      }
    }
    synchronized (receiving) {
      for (Thread t : receiving) {
        t.interrupt();
      }
    }
    for (Thread t : workers) {
      try {
        t.join(TimeUnit.SECONDS.toMillis(settings.pollWaitSeconds() + 10L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void sweepOnce() {
    try {
      // a use found before the first registry read would match nothing
      if (registryLoaded.getCount() == 0 && running) {
        sweep.sweep();
      }
    } catch (RuntimeException e) {
      log.warn("log sweep failed: {}", e.toString());
    }
  }

  private void readQueueDepths() {
    readDepth(queue, "notifications");
    if (deadLetters != null) {
      readDepth(deadLetters, "dead_letter");
    }
  }

  private void readDepth(MessageQueue q, String name) {
    try {
      var depth = q.depth();
      metrics.queueMessages(name, "visible", depth.visible());
      metrics.queueMessages(name, "in_flight", depth.inFlight());
      metrics.queueMessages(name, "delayed", depth.delayed());
    } catch (RuntimeException e) {
      metrics.degraded("queue_depth_unavailable");
      log.debug("could not read the depth of the {} queue: {}", name, e.getMessage());
    }
  }

  private void refreshRegistry() {
    try {
      registry.refresh();
      registryLoaded.countDown();
    } catch (RuntimeException e) {
      metrics.degraded("registry_unreadable");
      log.warn("could not read the registry: {}", e.getMessage());
    }
  }

  private void pollLoop() {
    try {
      // a message handled without the registry would match nothing and be lost
      registryLoaded.await();
    } catch (InterruptedException e) {
      return;
    }
    int[] failures = {0};
    while (running) {
      for (QueueMessage message : receive(failures)) {
        process(message);
      }
    }
  }

  /**
   * The next batch; empty when stopping or after a failed poll (then it has waited as
   * {@link #POLL_BACKOFF} says after {@code failures[0]} failed polls in a row). Only here is a
   * poller interruptible by {@link #close()}.
   */
  private List<QueueMessage> receive(int[] failures) {
    receiving.add(Thread.currentThread());
    try {
      if (!running) {
        return List.of();
      }
      List<QueueMessage> batch = queue.receive(BATCH, settings.pollWaitSeconds());
      metrics.polled(clock.instant().getEpochSecond());
      failures[0] = 0;
      return batch;
    } catch (AwsCallException e) {
      if (running) {
        metrics.degraded("queue_unavailable");
        Duration wait = POLL_BACKOFF.delay(++failures[0]);
        log.warn("could not poll the queue: {}; retrying in {}", e.getMessage(), wait);
        sleep(wait);
      }
      return List.of();
    } catch (RuntimeException e) {
      if (running) {
        Duration wait = POLL_BACKOFF.delay(++failures[0]);
        log.warn("queue poll failed: {}; retrying in {}", e.toString(), wait);
        sleep(wait);
      }
      return List.of();
    } finally {
      synchronized (receiving) {
        receiving.remove(Thread.currentThread());
        // an interrupt meant for the wait on the queue must not cut the batch short
        Thread.interrupted();
      }
    }
  }

  /** Handles one message and deletes it when it is done with; never throws. */
  void process(QueueMessage message) {
    Instant received = clock.instant();
    if (message.sentAt() != null) {
      metrics.messageAge(Duration.between(message.sentAt(), received));
    }
    boolean done;
    try {
      done = handle(message);
    } catch (KubernetesClientException e) {
      metrics.degraded("alert_write_failed");
      log.warn("message {} kept: alerts could not be written (HTTP {})", message.messageId(), e.getCode());
      done = false;
    } catch (RuntimeException e) {
      metrics.degraded("internal_error");
      log.warn("message {} kept: {}", message.messageId(), e.toString());
      done = false;
    }
    if (!done) {
      metrics.message("kept");
      return;
    }
    try {
      queue.delete(message);
      metrics.message("deleted");
      metrics.alertWritten(Duration.between(received, clock.instant()));
    } catch (AwsCallException e) {
      log.warn("message {} handled but not deleted ({}); it will be handled again, harmlessly",
          message.messageId(), e.getMessage());
    }
  }

  /** True when the message is fully handled and may be deleted. */
  boolean handle(QueueMessage message) {
    Notification n = NotificationParser.parse(message.body());
    if (n instanceof Notification.TestEvent) {
      metrics.message("test_event");
      return true;
    }
    if (n instanceof Notification.Unrecognised u) {
      metrics.message("unrecognised");
      degraded("unrecognised_message", "Queue message " + message.messageId() + " has no known shape (" + u.reason()
          + "); it is left on the queue for its redrive policy.");
      return false;
    }
    Hits hits = new Hits();
    boolean complete;
    if (n instanceof Notification.ApiCallEvent event) {
      complete = readEvent(message, event, hits);
    } else {
      Notification.LogFiles files = (Notification.LogFiles) n;
      for (int i = 0; i < files.skipped(); i++) {
        metrics.file("skipped");
      }
      complete = true;
      for (S3Location file : files.files()) {
        complete &= readFile(file, hits, repeated(message));
      }
    }
    IntakePath path = n instanceof Notification.ApiCallEvent ? IntakePath.EVENTBRIDGE : IntakePath.S3;
    return finish(hits, complete, path, "Message " + message.messageId());
  }

  /**
   * Reads one log file the sweep found and writes its alerts; true when finished with it (it is
   * then in {@link ReadFiles}). Alert writes that fail are logged and count as not finished.
   */
  boolean readSwept(S3Location file) {
    Hits hits = new Hits();
    try {
      boolean complete = readFile(file, hits, false);
      finish(hits, complete, IntakePath.S3, "Swept log file s3://" + file.bucket() + "/" + file.key());
      return hits.finished.size() == 1 && readFiles.contains(hits.finished.get(0));
    } catch (KubernetesClientException e) {
      metrics.degraded("alert_write_failed");
      log.warn("swept log file s3://{}/{} not finished: alerts could not be written (HTTP {})", file.bucket(),
          file.key(), e.getCode());
      return false;
    } catch (RuntimeException e) {
      metrics.degraded("internal_error");
      log.warn("swept log file s3://{}/{} not finished: {}", file.bucket(), file.key(), e.toString());
      return false;
    }
  }

  /** Matches the unknown keys again if it may, writes the alerts, and records the files finished with. */
  private boolean finish(Hits hits, boolean complete, IntakePath path, String what) {
    boolean matchedAll = true;
    if (!hits.unknown.isEmpty()) {
      // probably a token newer than our copy of the registry: re-read it (rate-limited) and match again
      if (registry.refreshSoon()) {
        List<CloudTrailRecord> again = new ArrayList<>(hits.unknown);
        hits.unknown.clear();
        again.forEach(hits::add);
        hits.unknown.forEach(r -> registry.markForeign(r.accessKeyId()));
      } else {
        matchedAll = false;
      }
    }
    for (var entry : hits.byToken.entrySet()) {
      List<TokenMatch> matches = entry.getValue();
      if (selfTest.isSelfTest(matches.get(0).entry())) {
        matches = selfTest.record(path, matches);
        if (matches.isEmpty()) {
          continue;
        }
      }
      int counted = writer.record(matches.get(0).entry(), matches);
      metrics.matches(counted);
    }
    if (hits.overflow > 0) {
      degraded("too_many_matches", what + " matched more than " + MAX_MATCHES_PER_MESSAGE
          + " records; " + hits.overflow + " were not recorded.");
    }
    if (matchedAll) {
      // every alert of these files is durable: no replica needs to read them again
      hits.finished.forEach(f -> readFiles.finished(f, hits.written.get(f)));
    }
    return complete && matchedAll;
  }

  private boolean readEvent(QueueMessage message, Notification.ApiCallEvent event, Hits hits) {
    try {
      Optional<CloudTrailRecord> record = parser.parseEvent(event.json());
      metrics.recordsRead(record.isPresent() ? 1 : 0, repeated(message));
      record.ifPresent(hits::add);
      return true;
    } catch (CloudTrailFileException e) {
      degraded(reasonTag(e), "EventBridge event in message " + message.messageId() + " could not be read ("
          + e.reason() + "); it is left on the queue.");
      return false;
    }
  }

  /** True when SQS delivered this message before: its records were most likely read already. */
  private static boolean repeated(QueueMessage message) {
    return message.receiveCount() > 1;
  }

  private boolean readFile(S3Location file, Hits hits, boolean repeat) {
    String where = "s3://" + file.bucket() + "/" + file.key();
    LogFile opened = null;
    try (LogFile in = logs.open(file.bucket(), file.key())) {
      opened = in;
      CloudTrailFileSummary summary = parser.parse(in.body(), registry.matcher(), hits::add);
      metrics.recordsRead(summary.records(), repeat);
      metrics.file("read");
      hits.finished(file, in);
      return true;
    } catch (CloudTrailFileException e) {
      metrics.recordsRead(e.summary() == null ? 0 : e.summary().records(), repeat);
      // reading this version again finds the same damage: the sweep need not read it again
      hits.finished(file, opened);
      if (e.reason() == CloudTrailFileException.Reason.NOT_A_LOG_FILE) {
        metrics.file("skipped");
        return true;
      }
      metrics.file("failed");
      degraded(reasonTag(e), "Log file " + where + " could not be read to the end (" + e.reason() + ") after "
          + (e.summary() == null ? 0 : e.summary().records()) + " records; uses found before the damage are alerted, "
          + "the message stays on the queue and goes to the dead-letter queue after its retries.");
      return false;
    } catch (AwsCallException e) {
      metrics.file("failed");
      degraded(e.kind() == AwsCallException.Kind.NOT_FOUND ? "object_missing" : "s3_unavailable",
          "Log file " + where + " could not be fetched: " + e.getMessage() + ".");
      return false;
    } catch (IOException e) {
      metrics.file("failed");
      degraded("s3_read_error", "Log file " + where + " could not be read: " + e.getClass().getSimpleName() + ".");
      return false;
    }
  }

  private static String reasonTag(CloudTrailFileException e) {
    return e.reason().name().toLowerCase();
  }

  /** Metric, log line and (at most once a minute per reason) a Warning Event. */
  private void degraded(String reason, String message) {
    metrics.degraded(reason);
    log.warn("pipeline degraded ({}): {}", reason, message);
    Instant now = clock.instant();
    Instant last = lastDegradedEvent.get(reason);
    if (self != null && (last == null || Duration.between(last, now).compareTo(Duration.ofMinutes(1)) >= 0)) {
      lastDegradedEvent.put(reason, now);
      events.warning(self, "PipelineDegraded", message);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void lag(CloudTrailRecord record) {
    try {
      if (record.eventTime() != null) {
        metrics.recordLag(Duration.between(Instant.parse(record.eventTime()), clock.instant()));
      }
    } catch (java.time.format.DateTimeParseException e) {
      // no time to measure from
    }
  }

  /** What one message matched, grouped by token, bounded. */
  private final class Hits {
    final Map<String, List<TokenMatch>> byToken = new LinkedHashMap<>();
    final List<CloudTrailRecord> unknown = new ArrayList<>();
    /** Fingerprints of the files read to their end (or to damage that stays), with their write times. */
    final List<String> finished = new ArrayList<>();
    final Map<String, Instant> written = new LinkedHashMap<>();
    int total;
    int overflow;

    void finished(S3Location file, LogFile in) {
      if (in != null) {
        String f = ReadFiles.fingerprint(file.bucket(), file.key(), in.etag());
        finished.add(f);
        written.put(f, in.lastModified() != null ? in.lastModified() : clock.instant());
      }
    }

    void add(CloudTrailRecord record) {
      Optional<TokenMatch> match = registry.matcher().match(record);
      if (match.isEmpty()) {
        if (record.accessKeyId() != null && registry.matcher().looksLikeOurs(record.accessKeyId())
            && !registry.isForeign(record.accessKeyId()) && unknown.size() < MAX_UNKNOWN_PER_MESSAGE) {
          unknown.add(record);
        }
        return;
      }
      if (total >= MAX_MATCHES_PER_MESSAGE) {
        overflow++;
        return;
      }
      total++;
      lag(record);
      RegistryRecord entry = match.get().entry();
      String key = entry.uid() != null ? entry.uid() : entry.accessKeyId();
      byToken.computeIfAbsent(key, k -> new ArrayList<>()).add(match.get());
    }
  }
}
