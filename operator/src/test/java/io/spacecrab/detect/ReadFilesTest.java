package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bounded memory of finished log files, and the ledger's text form. */
class ReadFilesTest {
  static final Instant T = Instant.parse("2026-12-02T10:00:00Z");

  @Test
  void aNewVersionOfAFileIsANewFile() {
    assertThat(ReadFiles.fingerprint("b", "k", "e1")).hasSize(16).isNotEqualTo(ReadFiles.fingerprint("b", "k", "e2"))
        .isNotEqualTo(ReadFiles.fingerprint("b2", "k", "e1")).isEqualTo(ReadFiles.fingerprint("b", "k", "e1"));
  }

  @Test
  void staysWithinItsCapacityForgettingTheOldestFirst() {
    ReadFiles files = new ReadFiles(3);
    for (int i = 0; i < 5; i++) {
      files.finished("f" + i, T.plusSeconds(i));
    }
    assertThat(files.size()).isEqualTo(3);
    assertThat(files.contains("f0")).isFalse();
    assertThat(files.contains("f4")).isTrue();
    assertThat(files.takeUnshared()).containsOnlyKeys("f2", "f3", "f4");
  }

  @Test
  void forgetsFilesWrittenBeforeTheWindowAndKeepsWhatCouldNotBeShared() {
    ReadFiles files = new ReadFiles(100);
    files.finished("old", T.minusSeconds(3600));
    files.finished("new", T);
    files.learn(Map.of("other", T.plusSeconds(1).getEpochSecond()));
    files.forgetBefore(T.minusSeconds(60));
    assertThat(files.contains("old")).isFalse();
    assertThat(files.contains("other")).isTrue();
    Map<String, Long> taken = files.takeUnshared();
    assertThat(taken).containsOnlyKeys("new");
    assertThat(files.unshared()).isEmpty();
    files.returnUnshared(taken);
    assertThat(files.unshared()).containsOnlyKeys("new");
  }

  @Test
  void theLedgerReadsBackWhatItWritesAndSkipsDamagedLines() {
    var map = new ConfigMapBuilder().withNewMetadata().withName("x").endMetadata()
        .addToData("mark", "2026-12-02T10:00:00Z")
        .addToData("files", "0123456789abcdef:1764669600\nnot a line\nfedcba9876543210:oops\n").build();
    SweepLedger.State state = SweepLedger.parse(map);
    assertThat(state.mark()).isEqualTo(T);
    assertThat(state.files()).containsExactly(Map.entry("0123456789abcdef", 1764669600L));
    assertThat(SweepLedger.parse(null).mark()).isNull();
    Map<String, Long> none = new LinkedHashMap<>();
    assertThat(SweepLedger.parse(new ConfigMapBuilder().addToData("mark", "yesterday").build()).files()).isEqualTo(none);
  }
}
