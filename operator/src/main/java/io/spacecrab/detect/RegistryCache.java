package io.spacecrab.detect;

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
 * period and, rate-limited, when a record carries an unknown key id that looks like ours.
 */
public class RegistryCache {
  private static final Logger log = LoggerFactory.getLogger(RegistryCache.class);

  private final TokenRegistry registry;
  private final TokenMatcher matcher = new TokenMatcher(RegistrySnapshot.empty());
  private final Duration minInterval;
  private final DetectorMetrics metrics;
  private final Clock clock;
  private Instant lastRefresh = Instant.EPOCH;

  public RegistryCache(TokenRegistry registry, Duration minInterval, DetectorMetrics metrics, Clock clock) {
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
    List<RegistryEntry> entries = registry.scanAll().stream().map(RegistryEntry::of).toList();
    matcher.replaceRegistry(RegistrySnapshot.of(entries));
    lastRefresh = clock.instant();
    metrics.registryRefreshed(entries.size());
    log.debug("registry refreshed: {} entries", entries.size());
  }

  /** Refreshes unless the last refresh is younger than the minimum interval; true if it did. */
  public synchronized boolean refreshIfStale() {
    if (Duration.between(lastRefresh, clock.instant()).compareTo(minInterval) < 0) {
      return false;
    }
    refresh();
    return true;
  }
}
