package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ChildTokenNameTest {
  static final String SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";

  @Test
  void shortNameIsKeptAsItIs() {
    assertThat(ChildTokenName.of("aws-creds")).isEqualTo("aws-creds");
    assertThat(ChildTokenName.of("team.aws-creds")).isEqualTo("team.aws-creds");
    assertThat(ChildTokenName.of("a".repeat(63))).isEqualTo("a".repeat(63));
  }

  @Test
  void nameOverSixtyThreeIsCutWithAHashOfTheFullName() {
    String name = ChildTokenName.of("a".repeat(64));
    assertThat(name).hasSize(63).matches("a{54}-[0-9a-f]{8}");
  }

  @Test
  void longNamesSharingAPrefixStayDistinct() {
    String prefix = "x".repeat(200);
    assertThat(ChildTokenName.of(prefix + "-one")).isNotEqualTo(ChildTokenName.of(prefix + "-two"));
  }

  @Test
  void sameNameAlwaysGivesTheSameChildName() {
    String longName = "payments." + "p".repeat(240);
    assertThat(ChildTokenName.of(longName)).isEqualTo(ChildTokenName.of(longName));
  }

  @Test
  void cutNeverLeavesADashOrDotBeforeTheHash() {
    String name = ChildTokenName.of("a".repeat(53) + ".b" + "c".repeat(20));
    assertThat(name).matches("a{53}-[0-9a-f]{8}");
  }

  @Test
  void malformedNamesStillGiveAValidName() {
    assertThat(ChildTokenName.of("Upper_Case")).matches("upper-case-[0-9a-f]{8}");
    assertThat(ChildTokenName.of("---")).matches("[0-9a-f]{8}");
  }

  @Test
  void everyNameIsAValidObjectNameAndLabelValue() {
    Set<String> names = new HashSet<>();
    for (int length = 1; length <= 253; length++) {
      StringBuilder cht = new StringBuilder();
      for (int i = 0; i < length; i++) {
        cht.append(i % 7 == 6 && i < length - 1 ? (i % 2 == 0 ? '.' : '-') : (char) ('a' + i % 26));
      }
      String child = ChildTokenName.of(cht.toString());
      assertThat(child).hasSizeLessThanOrEqualTo(63).matches(SUBDOMAIN);
      names.add(child);
    }
    assertThat(names).hasSize(253);
  }
}
