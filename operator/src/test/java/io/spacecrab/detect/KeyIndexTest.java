package io.spacecrab.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeyIndexTest {

  @Test
  void findsAKeyByTheContentOfAnyCharSequence() {
    KeyIndex<String> index = KeyIndex.of(Map.of("AKIAONE", "one", "AKIATWO", "two"));
    FieldText text = new FieldText(64);
    char[] chars = "xxAKIATWOyy".toCharArray();
    text.set(chars, 2, 7);

    assertThat(index.get("AKIAONE")).isEqualTo("one");
    assertThat(index.get(new StringBuilder("AKIAONE"))).isEqualTo("one");
    assertThat(index.get(text)).isEqualTo("two");
  }

  @Test
  void findsAKeyByRawBytesExactlyAsByText() {
    java.util.Random rnd = new java.util.Random(5);
    Map<String, String> keys = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      keys.put("arn:aws:iam::111122223333:user/u" + rnd.nextInt(100_000), "v" + i);
    }
    keys.put("f5a5a608", "zero hash");
    KeyIndex<String> index = KeyIndex.of(keys);
    java.util.List<String> probes = new java.util.ArrayList<>(keys.keySet());
    for (int i = 0; i < 2000; i++) {
      probes.add("arn:aws:iam::111122223333:user/u" + rnd.nextInt(100_000));
      probes.add("arn:aws:iam::111122223333:user/\u00e9" + i);
    }
    for (String probe : probes) {
      byte[] bytes = ("  " + probe + "  ").getBytes(java.nio.charset.StandardCharsets.UTF_8);
      assertThat(index.get(bytes, 2, bytes.length - 4)).as(probe).isEqualTo(index.get(probe));
    }
    assertThat(index.isPlainAscii()).isTrue();
    assertThat(KeyIndex.of(Map.of("caf\u00e9", "x")).isPlainAscii()).isFalse();
    assertThat(KeyIndex.of(Map.of("a\"b", "x")).isPlainAscii()).isFalse();
  }

  @Test
  void missesKeysOfOtherLengthsPrefixesOrContent() {
    KeyIndex<String> index = KeyIndex.of(Map.of("AKIAONE", "one", "AKIATWO", "two"));

    assertThat(index.get("AKIATHREE")).isNull();
    assertThat(index.get("ASIAONE")).isNull();
    assertThat(index.get("AKIAONF")).isNull();
    assertThat(index.get("")).isNull();
    assertThat(index.get(null)).isNull();
  }

  @Test
  void findsAKeyWhoseHashIsZero() {
    assertThat("f5a5a608".hashCode()).isZero();
    KeyIndex<String> index = KeyIndex.of(Map.of("f5a5a608", "zero", "f5a5a609", "other"));

    assertThat(index.get("f5a5a608")).isEqualTo("zero");
    assertThat(index.get("f5a5a609")).isEqualTo("other");
  }

  @Test
  void findsNothingWhenEmpty() {
    assertThat(KeyIndex.<String>empty().get("anything")).isNull();
    assertThat(KeyIndex.of(Map.of()).get("")).isNull();
  }

  @Test
  void leavesOutNullAndEmptyKeys() {
    Map<String, String> map = new HashMap<>();
    map.put(null, "null");
    map.put("", "empty");
    map.put("k", "v");

    KeyIndex<String> index = KeyIndex.of(map);

    assertThat(index.size()).isEqualTo(1);
    assertThat(index.get("")).isNull();
    assertThat(index.get("k")).isEqualTo("v");
  }

  @Test
  void keepsKeysWithCollidingHashesApart() {
    assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
    Map<String, Integer> map = new HashMap<>();
    for (int i = 0; i < 5000; i++) {
      map.put("user-" + i, i);
    }
    map.put("Aa", -1);
    map.put("BB", -2);

    KeyIndex<Integer> index = KeyIndex.of(map);

    assertThat(index.get("Aa")).isEqualTo(-1);
    assertThat(index.get("BB")).isEqualTo(-2);
    for (int i = 0; i < 5000; i++) {
      assertThat(index.get("user-" + i)).isEqualTo(i);
    }
    assertThat(index.get("user-5000")).isNull();
  }

  @Test
  void cutsALongFieldBeforeASurrogatePairAndMarksIt() {
    FieldText text = new FieldText(64);
    String value = "a".repeat(49) + "\uD83E\uDD80" + "b".repeat(100);

    boolean truncated = text.set(value.toCharArray(), 0, value.length());

    assertThat(truncated).isTrue();
    assertThat(text.value()).isEqualTo("a".repeat(49) + CloudTrailRecord.TRUNCATED_MARK);
  }
}
