package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserNameTemplateTest {
  final UserNameTemplate template = new UserNameTemplate("{word}-{hash}");

  @Test
  void sameTokenAlwaysGetsTheSameName() {
    assertThat(template.render("c", "ns", "n", "uid-1")).isEqualTo(template.render("c", "ns", "n", "uid-1"));
  }

  @Test
  void namesLookOrdinaryAndDifferPerToken() {
    Set<String> names = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String name = template.render("prod", "ns-" + i, "creds", "uid-" + i);
      assertThat(name).matches("[a-z0-9-]+-[0-9a-f]{8}").hasSizeLessThanOrEqualTo(64);
      for (String tell : new String[] {"honey", "canary", "decoy", "trap", "token", "spacecrab"}) {
        assertThat(name).doesNotContain(tell);
      }
      names.add(name);
    }
    assertThat(names).hasSize(1000);
    assertThat(names.stream().map(n -> n.substring(0, n.length() - 9)).distinct().count()).isGreaterThan(10);
  }

  @Test
  void recreatedObjectWithANewUidGetsANewName() {
    assertThat(template.render("c", "ns", "n", "uid-1")).isNotEqualTo(template.render("c", "ns", "n", "uid-2"));
  }

  @Test
  void longNamespacesAreCutToIamLimitKeepingTheHash() {
    String name = new UserNameTemplate("{namespace}-{name}-{hash}").render("c", "n".repeat(63), "x".repeat(60), "u");
    assertThat(name).hasSize(64).matches("[A-Za-z0-9+=,.@_-]+-[0-9a-f]{8}");
  }
}
