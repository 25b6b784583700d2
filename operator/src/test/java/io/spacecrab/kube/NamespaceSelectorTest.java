package io.spacecrab.kube;

import static io.spacecrab.testing.Selectors.expr;
import static io.spacecrab.testing.Selectors.labels;
import static io.spacecrab.testing.Selectors.selector;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class NamespaceSelectorTest {

  static Stream<Arguments> kubernetesSemantics() {
    return Stream.of(
        // matchLabels: key present with exactly that value, every entry must hold
        Arguments.of("matchLabels equal value", selector("env=prod"), "env=prod", true),
        Arguments.of("matchLabels other value", selector("env=prod"), "env=dev", false),
        Arguments.of("matchLabels key absent", selector("env=prod"), "", false),
        Arguments.of("matchLabels needs every entry", selector("env=prod,team=a"), "env=prod", false),
        Arguments.of("matchLabels all entries present", selector("env=prod,team=a"), "team=a,env=prod,x=y", true),
        Arguments.of("matchLabels empty value matches empty value", selector("env="), "env=", true),
        Arguments.of("matchLabels empty value needs the key", selector("env="), "", false),
        Arguments.of("matchLabels empty value is not any value", selector("env="), "env=prod", false),
        // In
        Arguments.of("In listed value", selector("", expr("env", "In", "prod", "staging")), "env=staging", true),
        Arguments.of("In unlisted value", selector("", expr("env", "In", "prod", "staging")), "env=dev", false),
        Arguments.of("In key absent", selector("", expr("env", "In", "prod")), "team=a", false),
        Arguments.of("In empty value listed", selector("", expr("env", "In", "")), "env=", true),
        // NotIn
        Arguments.of("NotIn unlisted value", selector("", expr("env", "NotIn", "prod")), "env=dev", true),
        Arguments.of("NotIn listed value", selector("", expr("env", "NotIn", "prod", "dev")), "env=dev", false),
        Arguments.of("NotIn key absent matches", selector("", expr("env", "NotIn", "prod")), "", true),
        Arguments.of("NotIn key absent among others", selector("", expr("env", "NotIn", "prod")), "team=a", true),
        // Exists
        Arguments.of("Exists with a value", selector("", expr("env", "Exists")), "env=prod", true),
        Arguments.of("Exists with empty value", selector("", expr("env", "Exists")), "env=", true),
        Arguments.of("Exists key absent", selector("", expr("env", "Exists")), "team=a", false),
        // DoesNotExist
        Arguments.of("DoesNotExist key absent", selector("", expr("env", "DoesNotExist")), "team=a", true),
        Arguments.of("DoesNotExist no labels", selector("", expr("env", "DoesNotExist")), "", true),
        Arguments.of("DoesNotExist key present", selector("", expr("env", "DoesNotExist")), "env=", false),
        // combinations are ANDed
        Arguments.of("labels and expressions all hold",
            selector("team=a", expr("env", "In", "prod"), expr("legacy", "DoesNotExist")), "team=a,env=prod", true),
        Arguments.of("one failing expression fails the selector",
            selector("team=a", expr("env", "In", "prod"), expr("legacy", "DoesNotExist")),
            "team=a,env=prod,legacy=yes", false),
        Arguments.of("two expressions on the same key",
            selector("", expr("env", "Exists"), expr("env", "NotIn", "dev")), "env=prod", true),
        Arguments.of("prefixed key", selector("example.com/tier=gold"), "example.com/tier=gold", true),
        // empty selector matches everything
        Arguments.of("empty selector, no labels", new LabelSelector(), "", true),
        Arguments.of("empty selector, some labels", new LabelSelector(), "env=prod", true),
        Arguments.of("empty lists select everything", selector(""), "env=prod", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kubernetesSemantics")
  void evaluatesLikeTheApiServer(String description, LabelSelector selector, String labels, boolean expected) {
    assertThat(NamespaceSelector.of(selector).matches(labels(labels))).isEqualTo(expected);
  }

  @Test
  void nullSelectorMatchesNothing() {
    NamespaceSelector nothing = NamespaceSelector.of(null);
    assertThat(nothing.matches(labels(""))).isFalse();
    assertThat(nothing.matches(labels("env=prod"))).isFalse();
  }

  @Test
  void nullLabelsAreNoLabels() {
    assertThat(NamespaceSelector.of(selector("", expr("env", "NotIn", "prod"))).matches(null)).isTrue();
    assertThat(NamespaceSelector.of(selector("", expr("env", "Exists"))).matches(null)).isFalse();
  }

  @Test
  void operatorNamesAreCaseSensitive() {
    assertThat(NamespaceSelector.problems(selector("", expr("env", "in", "prod")), "sel"))
        .containsExactly("sel.matchExpressions[0].operator 'in' is not one of In, NotIn, Exists, DoesNotExist");
  }

  static Stream<Arguments> invalidSelectors() {
    return Stream.of(
        Arguments.of(selector("", expr("env", "Equals", "prod")),
            "sel.matchExpressions[0].operator 'Equals' is not one of In, NotIn, Exists, DoesNotExist"),
        Arguments.of(selector("", expr("env", null, "prod")), "sel.matchExpressions[0].operator is missing"),
        Arguments.of(selector("", expr("env", "In")), "sel.matchExpressions[0].values must not be empty for operator In"),
        Arguments.of(selector("", expr("env", "In", (String[]) null)),
            "sel.matchExpressions[0].values must not be empty for operator In"),
        Arguments.of(selector("", expr("env", "NotIn")),
            "sel.matchExpressions[0].values must not be empty for operator NotIn"),
        Arguments.of(selector("", expr("env", "Exists", "x")),
            "sel.matchExpressions[0].values must be empty for operator Exists"),
        Arguments.of(selector("", expr("env", "DoesNotExist", "x")),
            "sel.matchExpressions[0].values must be empty for operator DoesNotExist"),
        Arguments.of(selector("", expr("", "Exists")), "sel.matchExpressions[0].key is empty"),
        Arguments.of(selector("", expr(null, "Exists")), "sel.matchExpressions[0].key is empty"),
        Arguments.of(selector("", expr("a/b/c", "Exists")), "sel.matchExpressions[0].key 'a/b/c' has more than one '/'"),
        Arguments.of(selector("", expr("Bad_Prefix/x", "Exists")),
            "sel.matchExpressions[0].key 'Bad_Prefix/x' has a prefix that is not a DNS subdomain of at most 253 characters"),
        Arguments.of(selector("", expr("-env", "Exists")), "sel.matchExpressions[0].key '-env' is not 1-63 characters"
            + " of letters, digits, '-', '_' or '.' that start and end with a letter or digit"),
        Arguments.of(selector("", expr("k".repeat(64), "Exists")), "sel.matchExpressions[0].key '" + "k".repeat(64)
            + "' is not 1-63 characters of letters, digits, '-', '_' or '.' that start and end with a letter or digit"),
        Arguments.of(selector("", expr("env", "In", "ok", "not ok")), "sel.matchExpressions[0].values[1] 'not ok' is"
            + " not at most 63 characters of letters, digits, '-', '_' or '.' that start and end with a letter or digit"),
        Arguments.of(selector("", expr("env", "In", "ok", null)), "sel.matchExpressions[0].values[1] is missing"),
        Arguments.of(selector("bad key=x"), "sel.matchLabels key 'bad key' is not 1-63 characters of letters, digits,"
            + " '-', '_' or '.' that start and end with a letter or digit"),
        Arguments.of(selector("env=" + "v".repeat(64)), "sel.matchLabels value of 'env' '" + "v".repeat(64)
            + "' is not at most 63 characters of letters, digits, '-', '_' or '.' that start and end with a letter or digit"));
  }

  @ParameterizedTest
  @MethodSource("invalidSelectors")
  void explainsEachInvalidSelectorInASentence(LabelSelector selector, String problem) {
    assertThat(NamespaceSelector.problems(selector, "sel")).containsExactly(problem);
    assertThatThrownBy(() -> NamespaceSelector.of(selector)).isInstanceOf(InvalidSelectionException.class);
  }

  @Test
  void listsEveryProblemAtOnce() {
    LabelSelector selector = selector("bad key=x", expr("env", "Equals", "prod"), expr("a", "In"),
        expr("b", "Exists", "x"), null);
    assertThatThrownBy(() -> NamespaceSelector.of(selector))
        .isInstanceOfSatisfying(InvalidSelectionException.class, e -> assertThat(e.problems()).containsExactly(
            "namespaceSelector.matchLabels key 'bad key' is not 1-63 characters of letters, digits, '-', '_' or '.'"
                + " that start and end with a letter or digit",
            "namespaceSelector.matchExpressions[0].operator 'Equals' is not one of In, NotIn, Exists, DoesNotExist",
            "namespaceSelector.matchExpressions[1].values must not be empty for operator In",
            "namespaceSelector.matchExpressions[2].values must be empty for operator Exists",
            "namespaceSelector.matchExpressions[3] is empty"))
        .hasMessageContaining("'Equals'");
  }

  @Test
  void acceptsQualifiedKeysAndEmptyValues() {
    assertThat(NamespaceSelector.problems(selector("app.kubernetes.io/name=web,a_b.c-D=",
        expr("example.com/tier", "In", "", "Gold_1")), "sel")).isEmpty();
    assertThat(NamespaceSelector.problems(null, "sel")).isEmpty();
  }
}
