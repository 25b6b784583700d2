package io.spacecrab.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CleanTextTest {

  @Test
  void lineBreaksAndTabsBecomeOneSpaceOtherControlsVanish() {
    assertThat(CleanText.line("a\r\nb\tc\u0000d\u0007e\u001b[0mf\u0085g\u2028h", 100))
        .isEqualTo("a b cde[0mf g h");
  }

  @Test
  void invisibleFormattingCharactersVanish() {
    assertThat(CleanText.line("safe\u202Etxt.exe\u200B\u2066x\u2069\uFEFF", 100))
        .isEqualTo("safetxt.exex");
  }

  @Test
  void unpairedSurrogatesBecomeReplacementCharacters() {
    assertThat(CleanText.line("a\uD800b\uDC00c", 100)).isEqualTo("a\uFFFDb\uFFFDc");
  }

  @Test
  void longValuesAreCutWithAnEllipsisWithoutSplittingAPair() {
    assertThat(CleanText.line("abcdefghij", 5)).isEqualTo("abcd…");
    assertThat(CleanText.line("abc😀def", 5)).isEqualTo("abc…");
    assertThat(CleanText.line("  \r\n  leading", 100)).isEqualTo("leading");
    assertThat(CleanText.line(" ".repeat(1000) + "kept", 10)).isEqualTo("kept");
    assertThat(CleanText.line(null, 5)).isNull();
    assertThat(CleanText.lineOrDash("\u0000", 5)).isEqualTo("-");
  }
}
