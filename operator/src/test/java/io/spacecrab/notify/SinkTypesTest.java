package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.v1alpha1.SinkType;
import java.time.Clock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every value of the CRD's {@code spec.type} has its {@link Sink}, and it names the Secret keys it needs. */
class SinkTypesTest {

  @ParameterizedTest
  @EnumSource(SinkType.class)
  void everySinkTypeIsRegisteredAndNamesTheSecretKeysItNeeds(SinkType type) {
    try (SinkDispatcher dispatcher =
        new SinkDispatcher((from, to, subject, body) -> "id", OutboundLimits.DEFAULTS, Clock.systemUTC())) {
      Sink<?> sink = dispatcher.sink(type);
      assertThat(sink).as("the Sink registered in SinkDispatcher for " + type).isNotNull();
      assertThat(sink.secretKeys()).as("the Secret keys a " + type + " sink needs").isNotEmpty()
          .doesNotHaveDuplicates().allSatisfy(key -> assertThat(key).isNotBlank());
    }
  }
}
