package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FingerprintsTest {
  @Test
  void neverSaysNoToATextItHolds() {
    Random rnd = new Random(3);
    List<String> texts = randomTexts(rnd, 400_000);
    Fingerprints f = Fingerprints.of(List.of(texts.subList(0, 200_000), texts.subList(200_000, 400_000)));
    for (String t : texts) {
      // as the prefilter sees it: the bytes between the quotes, anywhere in a buffer
      byte[] b = ("{\"k\":\"" + t + "\"}").getBytes(StandardCharsets.US_ASCII);
      assertThat(f.mightContain(Fingerprints.sketch(b, 6, t.length()))).as(t).isTrue();
    }
  }

  @Test
  void saysNoToMostTextsItDoesNotHold() {
    Random rnd = new Random(4);
    for (int size : new int[] {1, 4, 1000, 400_000}) {
      Fingerprints f = Fingerprints.of(List.of(randomTexts(rnd, size)));
      int maybe = 0;
      List<String> absent = randomTexts(new Random(size + 1_000_000), 100_000);
      for (String t : absent) {
        if (f.mightContain(sketch(t))) {
          maybe++;
        }
      }
      assertThat(maybe).as("false positives for %d texts", size).isLessThan(8_000);
    }
  }

  @Test
  void anEmptySetHoldsNothing() {
    Fingerprints f = Fingerprints.of(List.of(List.of(), java.util.Arrays.asList((String) null)));
    assertThat(f.mightContain(sketch("AKIAIOSFODNN7EXAMPLE"))).isFalse();
  }

  @Test
  void shortTextsAndTextsThatDifferOnlyInTheMiddleAreTold() {
    List<String> held = List.of("a", "ab", "svc-1", "arn:aws:iam::123456789012:user/team-a/x");
    Fingerprints f = Fingerprints.of(List.of(held));
    for (String t : held) {
      assertThat(f.mightContain(sketch(t))).as(t).isTrue();
    }
    // same length, first and last eight bytes: one fingerprint, so "maybe" (the exact lookup decides)
    assertThat(f.mightContain(sketch("arn:aws:iam::123456789013:user/team-a/x"))).isTrue();
    assertThat(f.mightContain(sketch("b"))).isFalse();
  }

  private static long sketch(String t) {
    byte[] b = t.getBytes(StandardCharsets.US_ASCII);
    return Fingerprints.sketch(b, 0, b.length);
  }

  private static List<String> randomTexts(Random rnd, int n) {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder s = new StringBuilder("AKIA");
      for (int j = 0; j < 16; j++) {
        s.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".charAt(rnd.nextInt(32)));
      }
      out.add(s.toString());
    }
    return out;
  }
}
