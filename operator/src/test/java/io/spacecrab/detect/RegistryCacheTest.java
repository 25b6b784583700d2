package io.spacecrab.detect;

import static io.spacecrab.detect.CloudTrailFixtures.OUR_ACCOUNT;
import static io.spacecrab.detect.CloudTrailFixtures.UNREGISTERED_KEY_OF_OUR_ACCOUNT;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spacecrab.aws.RegistryRecord;
import io.spacecrab.aws.TokenRegistry;
import io.spacecrab.metrics.DetectorMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryCacheTest {
  /** A registry with no tokens yet, as a detector finds it when it starts before the first token. */
  static final TokenRegistry EMPTY = new TokenRegistry() {
    @Override
    public void put(RegistryRecord record) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Optional<RegistryRecord> get(String accessKeyId) {
      return Optional.empty();
    }

    @Override
    public List<RegistryRecord> findByPrincipalId(String principalId) {
      return List.of();
    }

    @Override
    public List<RegistryRecord> scanAll() {
      return List.of();
    }
  };

  @Test
  void aKeyOfTheDetectorsOwnAccountIsATokenCandidateEvenWhenTheRegistryWasEmpty() {
    RegistryCache cache = new RegistryCache(EMPTY, Duration.ofSeconds(10),
        new DetectorMetrics(new SimpleMeterRegistry()), Clock.systemUTC(), Set.of(OUR_ACCOUNT));
    cache.refresh();
    // a key issued after this read must make the detector read again, not be dropped as a stranger's
    assertThat(cache.matcher().looksLikeOurs(UNREGISTERED_KEY_OF_OUR_ACCOUNT)).isTrue();

    RegistryCache blind = new RegistryCache(EMPTY, Duration.ofSeconds(10),
        new DetectorMetrics(new SimpleMeterRegistry()), Clock.systemUTC());
    blind.refresh();
    assertThat(blind.matcher().looksLikeOurs(UNREGISTERED_KEY_OF_OUR_ACCOUNT)).isFalse();
  }
}
