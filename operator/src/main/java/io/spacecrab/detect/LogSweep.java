package io.spacecrab.detect;

import io.spacecrab.aws.AwsCallException;
import io.spacecrab.aws.LogObject;
import io.spacecrab.aws.LogObjects;
import io.spacecrab.metrics.DetectorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net beside the notifications: lists the log files the trail wrote since the last
 * sweep and reads those no replica has finished with, so a broken S3 → SQS link or a message lost
 * to the dead-letter queue loses no use. Only the replica holding the sweep Lease sweeps.
 *
 * <p>Listing is by the trail's date-ordered keys ({@code <prefix>AWSLogs/[<org>/]<account>/CloudTrail/
 * <region>/<yyyy>/<mm>/<dd>/<account>_CloudTrail_<region>_<yyyymmddThhmm>Z_…}): per account and
 * region, one ListObjectsV2 per day from the mark's day, with StartAfter at the mark minus
 * {@link #OVERLAP}; never the whole bucket. A file is swept once it is one interval old (the
 * notification had its chance); newer ones wait for the next sweep.
 */
public final class LogSweep {
  private static final Logger log = LoggerFactory.getLogger(LogSweep.class);
  /** Files whose key time is this much before the mark are listed again (key time and write time differ a little). */
  static final Duration OVERLAP = Duration.ofMinutes(15);
  /** A mark older than this (the detector was down for long) is moved up to it. */
  static final Duration MAX_CATCH_UP = Duration.ofDays(7);
  static final int MAX_FOLDERS = 2_000;
  static final int MAX_LISTED_PER_SWEEP = 200_000;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd/").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm").withZone(ZoneOffset.UTC);

  /** What one sweep did. */
  public enum Outcome {
    /** Not the leader: nothing done. */
    NOT_LEADER,
    /** The first sweep ever: the mark was set, nothing read. */
    STARTED,
    /** Every file up to the new mark is finished with. */
    COMPLETE,
    /** A file could not be read: the mark stays, the next sweep tries again. */
    INCOMPLETE,
    /** Listing or the ledger failed: nothing changed. */
    FAILED
  }

  private final LogObjects logs;
  private final String bucket;
  private final String prefix;
  private final Duration interval;
  private final ReadFiles readFiles;
  private final SweepLedger ledger;
  private final BooleanSupplier leader;
  private final Predicate<S3Location> reader;
  private final DetectorMetrics metrics;
  private final Clock clock;

  /**
   * @param prefix the trail's S3 key prefix ("" or ending in {@code /})
   * @param reader reads one file and writes its alerts; true when finished with it (then it is in {@code readFiles})
   */
  public LogSweep(LogObjects logs, String bucket, String prefix, Duration interval, ReadFiles readFiles,
      SweepLedger ledger, BooleanSupplier leader, Predicate<S3Location> reader, DetectorMetrics metrics, Clock clock) {
    this.logs = logs;
    this.bucket = bucket;
    this.prefix = prefix;
    this.interval = interval;
    this.readFiles = readFiles;
    this.ledger = ledger;
    this.leader = leader;
    this.reader = reader;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** How long the replicas remember finished files: long enough to cover a sweep's window. */
  public Duration retention() {
    return OVERLAP.plus(interval.multipliedBy(3));
  }

  /** Hands this replica's newly finished files to the ledger; on failure they are kept for the next try. */
  public void share() {
    var files = readFiles.takeUnshared();
    if (files.isEmpty()) {
      return;
    }
    try {
      ledger.write(files, clock.instant().minus(retention()), null);
    } catch (RuntimeException e) {
      readFiles.returnUnshared(files);
      metrics.degraded("sweep_ledger_unavailable");
      log.warn("could not record finished log files in the sweep ledger: {}", e.getMessage());
    }
  }

  /** One sweep, if this replica leads; never throws. */
  public Outcome sweep() {
    if (!leader.getAsBoolean()) {
      return Outcome.NOT_LEADER;
    }
    Outcome outcome;
    try {
      outcome = sweepAsLeader();
    } catch (AwsCallException e) {
      metrics.degraded("sweep_list_failed");
      log.warn("log sweep failed: {}", e.getMessage());
      outcome = Outcome.FAILED;
    } catch (RuntimeException e) {
      metrics.degraded("sweep_ledger_unavailable");
      log.warn("log sweep failed: {}", e.toString());
      outcome = Outcome.FAILED;
    }
    metrics.swept(outcome.name().toLowerCase(), clock.instant().getEpochSecond());
    return outcome;
  }

  private Outcome sweepAsLeader() {
    Instant now = clock.instant();
    Instant until = now.minus(interval);
    SweepLedger.State state = ledger.read();
    readFiles.learn(state.files());
    readFiles.forgetBefore(now.minus(retention()));
    if (state.mark() == null) {
      writeLedger(now, until);
      log.info("log sweep starts at {}: files written before are the notifications' alone", until);
      return Outcome.STARTED;
    }
    Instant from = state.mark().minus(OVERLAP);
    if (from.isBefore(now.minus(MAX_CATCH_UP))) {
      log.warn("log sweep mark {} is older than {}; sweeping from {}", state.mark(), MAX_CATCH_UP,
          now.minus(MAX_CATCH_UP));
      from = now.minus(MAX_CATCH_UP);
    }
    boolean complete = true;
    int listed = 0;
    for (String regionFolder : trailFolders()) {
      for (LocalDate day = day(from); !day.isAfter(day(until)); day = day.plusDays(1)) {
        String dayPrefix = regionFolder + DAY.format(day.atStartOfDay(ZoneOffset.UTC));
        String startAfter = day.equals(day(from)) ? dayPrefix + fileStem(regionFolder) + MINUTE.format(from) : null;
        List<LogObject> due = new ArrayList<>();
        listed += logs.list(bucket, dayPrefix, startAfter, MAX_LISTED_PER_SWEEP - listed, o -> {
          if (o.key().endsWith(".json.gz") && !o.lastModified().isAfter(until)
              && !readFiles.contains(ReadFiles.fingerprint(bucket, o.key(), o.etag()))) {
            due.add(o);
          }
        });
        for (LogObject o : due) {
          metrics.sweptUnannounced();
          log.info("log sweep found s3://{}/{} that no notification announced", bucket, o.key());
          complete &= reader.test(new S3Location(bucket, o.key()));
        }
      }
    }
    if (listed >= MAX_LISTED_PER_SWEEP) {
      log.warn("log sweep stopped after listing {} files; the rest waits for the next sweep", listed);
      complete = false;
    }
    writeLedger(now, complete ? until : null);
    return complete ? Outcome.COMPLETE : Outcome.INCOMPLETE;
  }

  /** Shares the files finished here and moves the mark (if not null); on failure the files wait for the next share. */
  private void writeLedger(Instant now, Instant mark) {
    var files = readFiles.takeUnshared();
    try {
      ledger.write(files, now.minus(retention()), mark);
    } catch (RuntimeException e) {
      readFiles.returnUnshared(files);
      throw e;
    }
  }

  /** Every {@code …/CloudTrail/<region>/} folder of the trail: one account, several, or an organisation's. */
  List<String> trailFolders() {
    List<String> regions = new ArrayList<>();
    for (String top : logs.folders(bucket, prefix + "AWSLogs/", MAX_FOLDERS)) {
      List<String> accounts = name(top).startsWith("o-") ? logs.folders(bucket, top, MAX_FOLDERS) : List.of(top);
      for (String account : accounts) {
        regions.addAll(logs.folders(bucket, account + "CloudTrail/", MAX_FOLDERS));
      }
    }
    return regions;
  }

  /** {@code <account>_CloudTrail_<region>_}: how every log file name in this folder starts. */
  static String fileStem(String regionFolder) {
    String[] parts = regionFolder.split("/");
    String region = parts[parts.length - 1];
    String account = parts[parts.length - 3];
    return account + "_CloudTrail_" + region + "_";
  }

  private static String name(String folder) {
    String[] parts = folder.split("/");
    return parts[parts.length - 1];
  }

  private static LocalDate day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC);
  }
}
