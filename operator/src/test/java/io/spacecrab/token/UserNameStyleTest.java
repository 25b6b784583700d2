package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class UserNameStyleTest {
  /** User names of a realistic account: people, services, tools, a few oddities (93 names). */
  static List<String> accountNames() throws IOException {
    try (InputStream in = UserNameStyleTest.class.getResourceAsStream("/iam/account-user-names.txt")) {
      return List.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"));
    }
  }

  /**
   * What a hundred tokens of one cluster are named in this style, as the issuer picks them: the
   * first attempt whose name the account (or an earlier token) does not hold yet.
   */
  static List<String> hundredNames(UserNameStyle style, List<String> account) {
    Set<String> taken = new HashSet<>(account);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String seed = "prod-eu/team-" + (i % 7) + "/ci-credentials/uid-" + i;
      String name = style.render(seed, 0);
      for (int attempt = 1; taken.contains(name); attempt++) {
        name = style.render(seed, attempt);
      }
      taken.add(name);
      names.add(name);
    }
    return names;
  }

  @Test
  void namesTakeTheAccountsShapesWithoutOneShapeMarkingTheTokens() throws IOException {
    List<String> account = accountNames();
    List<String> generated = hundredNames(UserNameStyle.learn(account), account);

    Map<String, Double> tokenShares = shares(generated);
    Map<String, Double> accountShares = shares(account);
    assertThat(tokenShares.values()).as("share of the most common shape among the tokens' names")
        .allSatisfy(share -> assertThat(share).isLessThanOrEqualTo(0.20));
    // indistinguishable by that measure: every shape is one the account has, in similar proportions
    assertThat(accountShares.keySet()).containsAll(tokenShares.keySet());
    // (a hundred names drawn from the account's own distribution already differ from it by about 0.15)
    assertThat(totalVariation(tokenShares, accountShares)).isLessThan(0.3);
    // no name the account already has, no two tokens with one name, nothing that says what they are
    assertThat(generated).doesNotContainAnyElementsOf(account).doesNotHaveDuplicates()
        .allSatisfy(n -> assertThat(n).matches("[A-Za-z0-9+=,.@_-]{1,64}")
            .doesNotContainIgnoringCase("honey").doesNotContainIgnoringCase("canary")
            .doesNotContainIgnoringCase("decoy").doesNotContainIgnoringCase("spacecrab"));
  }

  @Test
  void theOldTemplateFailsThatMeasure() {
    // {word}-{hash}: what every token was named before; the measure above catches it
    UserNameTemplate template = new UserNameTemplate("{word}-{hash}");
    List<String> old = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      old.add(template.render("prod-eu", "team-" + (i % 7), "ci-credentials", "uid-" + i));
    }
    assertThat(shares(old.stream().map(n -> n.replaceAll("-[0-9a-f]{8}$", "-h")).toList()).values())
        .anySatisfy(share -> assertThat(share).isGreaterThan(0.20));
  }

  @Test
  void anAccountWithoutUsersGetsVariedOrdinaryNames() {
    List<String> generated = hundredNames(UserNameStyle.learn(List.of()), List.of());
    assertThat(shares(generated).values()).allSatisfy(share -> assertThat(share).isLessThanOrEqualTo(0.20));
    assertThat(new HashSet<>(generated)).hasSizeGreaterThan(95);
  }

  @Test
  void theSameSeedGivesTheSameNameAndAttemptsGiveOthers() throws IOException {
    UserNameStyle style = UserNameStyle.learn(accountNames());
    String seed = "prod-eu/payments/deploy-credentials/0b6c";
    assertThat(style.render(seed, 0)).isEqualTo(style.render(seed, 0));
    Set<String> attempts = new HashSet<>();
    for (int a = 0; a < 5; a++) {
      attempts.add(style.render(seed, a));
    }
    assertThat(attempts).hasSize(5);
    // the kept text restores the same style (it survives restarts)
    UserNameStyle restored = UserNameStyle.parse(style.text());
    assertThat(restored.render(seed, 0)).isEqualTo(style.render(seed, 0));
  }

  @Test
  void aLargeAccountIsSampledAndInvalidNamesIgnored() {
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      many.add("user" + i);
    }
    many.add("not a valid name");
    UserNameStyle style = UserNameStyle.learn(many);
    assertThat(style.sample()).hasSize(UserNameStyle.MAX_SAMPLE).doesNotContain("not a valid name");
  }

  @Test
  void shapesCollapseCharacterClasses() {
    assertThat(UserNameStyle.collapsedShape("alice.walker")).isEqualTo("a.a");
    assertThat(UserNameStyle.collapsedShape("ReportingService")).isEqualTo("AaAa");
    assertThat(UserNameStyle.collapsedShape("s3-sync-02")).isEqualTo("a0-a-0");
  }

  static Map<String, Double> shares(List<String> names) {
    return names.stream().collect(Collectors.groupingBy(UserNameStyle::collapsedShape,
        Collectors.collectingAndThen(Collectors.counting(), c -> c / (double) names.size())));
  }

  static double totalVariation(Map<String, Double> a, Map<String, Double> b) {
    Set<String> keys = new HashSet<>(a.keySet());
    keys.addAll(b.keySet());
    return keys.stream().mapToDouble(k -> Math.abs(a.getOrDefault(k, 0.0) - b.getOrDefault(k, 0.0))).sum() / 2;
  }
}
