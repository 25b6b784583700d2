package io.spacecrab.token;

import static io.spacecrab.testing.Selectors.expr;
import static io.spacecrab.testing.Selectors.namespace;
import static io.spacecrab.testing.Selectors.selector;
import static io.spacecrab.testing.Selectors.terminating;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.spacecrab.kube.InvalidSelectionException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NamespaceSelectionTest {
  final List<Namespace> cluster = List.of(
      namespace("team-b", "env=prod,team=b"),
      namespace("team-a", "env=prod,team=a"),
      namespace("dev", "env=dev"),
      namespace("kube-system", ""),
      terminating("leaving", "env=prod"));

  static NamespaceSelection selection(LabelSelector selector, List<String> namespaces, List<String> excluded) {
    return NamespaceSelection.of(selector, namespaces, excluded);
  }

  @Test
  void selectorMatchesGiveSortedNames() {
    assertThat(selection(selector("env=prod"), null, null).desiredNamespaces(cluster))
        .containsExactly("team-a", "team-b");
  }

  @Test
  void emptySelectorSelectsEveryLiveNamespace() {
    assertThat(selection(new LabelSelector(), null, null).desiredNamespaces(cluster))
        .containsExactly("dev", "kube-system", "team-a", "team-b");
  }

  @Test
  void explicitNamespacesAreAddedToSelectorMatches() {
    assertThat(selection(selector("env=prod"), List.of("dev"), null).desiredNamespaces(cluster))
        .containsExactly("dev", "team-a", "team-b");
  }

  @Test
  void withoutSelectorOnlyTheExplicitNamespacesThatExist() {
    assertThat(selection(null, List.of("dev", "does-not-exist"), List.of()).desiredNamespaces(cluster))
        .containsExactly("dev");
  }

  @Test
  void exclusionWinsOverSelectorMatch() {
    assertThat(selection(selector("env=prod"), null, List.of("team-a")).desiredNamespaces(cluster))
        .containsExactly("team-b");
  }

  @Test
  void exclusionWinsOverExplicitInclusion() {
    assertThat(selection(null, List.of("dev", "team-a"), List.of("dev")).desiredNamespaces(cluster))
        .containsExactly("team-a");
  }

  @Test
  void terminatingNamespacesAreNeverSelected() {
    assertThat(selection(selector("env=prod"), List.of("leaving"), null).desiredNamespaces(cluster))
        .doesNotContain("leaving");
    assertThat(selection(null, List.of("leaving"), null).selects(terminating("leaving", ""))).isFalse();
  }

  @Test
  void namespaceDeletedFromTheClusterDropsOut() {
    NamespaceSelection prod = selection(selector("env=prod"), null, null);
    assertThat(prod.desiredNamespaces(cluster.subList(1, cluster.size()))).containsExactly("team-a");
  }

  static Stream<Arguments> relabelling() {
    return Stream.of(
        Arguments.of("matchLabels", selector("env=prod"), "env=prod", "env=dev"),
        Arguments.of("matchLabels key removed", selector("env=prod"), "env=prod", ""),
        Arguments.of("In", selector("", expr("env", "In", "prod", "qa")), "env=qa", "env=dev"),
        Arguments.of("In key removed", selector("", expr("env", "In", "prod")), "env=prod", "team=a"),
        Arguments.of("NotIn", selector("", expr("env", "NotIn", "dev")), "env=prod", "env=dev"),
        Arguments.of("NotIn key added", selector("", expr("env", "NotIn", "dev")), "", "env=dev"),
        Arguments.of("Exists", selector("", expr("tokens", "Exists")), "tokens=", "other="),
        Arguments.of("DoesNotExist", selector("", expr("optout", "DoesNotExist")), "team=a", "team=a,optout=yes"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("relabelling")
  void relabellingMovesANamespaceInAndOutOfTheSelection(String operator, LabelSelector selector, String matching,
      String notMatching) {
    NamespaceSelection selection = selection(selector, null, null);
    assertThat(selection.desiredNamespaces(List.of(namespace("ns", matching)))).containsExactly("ns");
    assertThat(selection.desiredNamespaces(List.of(namespace("ns", notMatching)))).isEmpty();
    assertThat(selection.desiredNamespaces(List.of(namespace("ns", matching)))).containsExactly("ns");
  }

  @Test
  void explicitlyNamedNamespaceStaysSelectedWhateverItsLabels() {
    NamespaceSelection selection = selection(selector("env=prod"), List.of("ns"), null);
    assertThat(selection.selects(namespace("ns", "env=prod"))).isTrue();
    assertThat(selection.selects(namespace("ns", "env=dev"))).isTrue();
  }

  @Test
  void selectingNothingAtAllIsAProblem() {
    assertThat(NamespaceSelection.problems(null, null, List.of("dev"))).containsExactly(
        "spec.namespaceSelector and spec.namespaces are both empty, so no namespace is selected;"
            + " set namespaceSelector to {} to select every namespace");
    assertThat(NamespaceSelection.problems(null, List.of(), null)).hasSize(1);
    assertThat(NamespaceSelection.problems(new LabelSelector(), null, null)).isEmpty();
    assertThat(NamespaceSelection.problems(null, List.of("dev"), null)).isEmpty();
  }

  @Test
  void listsEveryProblemWithItsField() {
    LabelSelector broken = selector("", expr("env", "In"));
    assertThatThrownBy(() -> selection(broken, List.of("ok", "Not_A_Namespace"), java.util.Arrays.asList("x", null)))
        .isInstanceOfSatisfying(InvalidSelectionException.class, e -> assertThat(e.problems()).containsExactly(
            "spec.namespaceSelector.matchExpressions[0].values must not be empty for operator In",
            "spec.namespaces[1] 'Not_A_Namespace' is not a namespace name (at most 63 lower-case letters,"
                + " digits and '-')",
            "spec.excludeNamespaces[1] is missing"));
  }

  @Test
  void namespaceWithoutMetadataIsNotSelected() {
    assertThat(selection(new LabelSelector(), null, null).selects(new Namespace())).isFalse();
  }
}
