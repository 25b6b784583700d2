package io.spacecrab.detect;

import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.metrics.DetectorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry (tombstones included) held in memory as the matcher's snapshot, refreshed on a
 * period and, at most once per minimum interval, when a record carries an unknown key id of a
 * token account (a token newer than the copy). The token accounts are those of the registered
 * tokens plus the ones given (the detector's own), so that a key issued after a read of an empty
 * registry is not taken for a stranger's.
 */
public class RegistryCache {
  private static final Logger log = LoggerFactory.getLogger(RegistryCache.class);

  private final TokenRegistry registry;
  private final TokenMatcher matcher = new TokenMatcher(RegistrySnapshot.empty());
  private final Duration minInterval;
  private final DetectorMetrics metrics;
  private final Clock clock;
  private final java.util.Set<String> accounts;
  private Instant lastRefresh = Instant.EPOCH;
  /** Key ids of a token account that a fresh registry did not know: someone else's keys. */
  private final java.util.Set<String> foreign = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private static final int MAX_FOREIGN = 10_000;

  public RegistryCache(TokenRegistry registry, Duration minInterval, DetectorMetrics metrics, Clock clock) {
    this(registry, minInterval, metrics, clock, java.util.Set.of());
  }

  /** As above, with {@code accounts} (12-digit ids) always counted as token accounts. */
  public RegistryCache(TokenRegistry registry, Duration minInterval, DetectorMetrics metrics, Clock clock,
      java.util.Set<String> accounts) {
    this.accounts = java.util.Set.copyOf(accounts);
    this.registry = registry;
    this.minInterval = minInterval;
    this.metrics = metrics;
    this.clock = clock;
  }

  public TokenMatcher matcher() {
    return matcher;
  }

  /** Reads the whole registry now. */
  public synchronized void refresh() {
    List<RegistryRecord> entries = registry.scanAll().stream().map(RegistryRecord::withoutSecret).toList();
    matcher.replaceRegistry(RegistrySnapshot.of(entries, accounts));
    lastRefresh = clock.instant();
    metrics.registryRefreshed(entries.size());
    log.debug("registry refreshed: {} entries", entries.size());
  }

  /** True when this key was looked up after a refresh and was not a token's. */
  public boolean isForeign(String accessKeyId) {
    return foreign.contains(accessKeyId);
  }

  /** Remembers a key that a fresh registry did not know, so it does not trigger refreshes again. */
  public void markForeign(String accessKeyId) {
    if (foreign.size() >= MAX_FOREIGN) {
      foreign.clear();
    }
    foreign.add(accessKeyId);
  }

  /**
   * Re-reads the registry as soon as the minimum interval since the last read allows, waiting for
   * it if need be (a refresh by another thread meanwhile counts). Returns false only if interrupted.
   */
  public boolean refreshSoon() {
    Instant asked = clock.instant();
    synchronized (this) {
      if (lastRefresh.isAfter(asked)) {
        return true;
      }
      long waitMillis = minInterval.minus(Duration.between(lastRefresh, clock.instant())).toMillis();
      if (waitMillis > 0) {
        try {
          Thread.sleep(waitMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      refresh();
      return true;
    }
  }
}
