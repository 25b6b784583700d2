package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.spacecrab.api.SpaceCrab;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.testing.Tokens;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChildTokenTest {
  static final String HOME = "security";

  ClusterHoneyToken parent() {
    ClusterHoneyToken parent = ClusterHoneyTokenTest.clusterToken("ci-credentials",
        ClusterHoneyTokenTest.expression("env", "In", "prod"), "aws-ci-credentials");
    parent.getMetadata().setUid("parent-uid");
    return parent;
  }

  @Test
  void aNewChildLivesInTheSecurityNamespaceAndPlantsItsSecretInTheSelectedOne() {
    HoneyToken child = ChildToken.of(parent(), HOME).forNamespace("shop");

    assertThat(child.getMetadata().getName()).isEqualTo("ci-credentials.shop");
    assertThat(child.getMetadata().getNamespace()).isEqualTo(HOME);
    assertThat(child.getSpec().getSecret().getNamespace()).isEqualTo("shop");
    assertThat(ChildToken.targetNamespace(child)).isEqualTo("shop");
    assertThat(child.getMetadata().getLabels()).containsEntry(SpaceCrab.CLUSTER_TOKEN_LABEL, "ci-credentials")
        .containsEntry("team", "security");
    assertThat(child.getMetadata().getAnnotations()).containsEntry("example.com/contact", "security@example.com");
    assertThat(child.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("parent-uid"));
    assertThat(child.getSpec().getSecret().getName()).isEqualTo("aws-ci-credentials");
    assertThat(ChildToken.ownedBy(child, parent())).isTrue();
    assertThat(ChildToken.of(parent(), HOME).upToDate(child)).isTrue();
    // a child moved to another namespace's Secret is not the one the template wants for it
    assertThat(ChildToken.of(parent(), HOME).forNamespace("other").getSpec().getSecret().getNamespace())
        .isEqualTo("other");
  }

  @Test
  void childNamesAreUniquePerParentAndNamespaceEvenWhenCut() {
    ClusterHoneyToken a = parent();
    a.getMetadata().setName("a-b");
    ClusterHoneyToken b = parent();
    b.getMetadata().setName("a");
    assertThat(ChildToken.name(a, "c")).isNotEqualTo(ChildToken.name(b, "b-c"));
    ClusterHoneyToken longName = parent();
    longName.getMetadata().setName("x".repeat(60));
    assertThat(ChildToken.name(longName, "ns-one")).hasSizeLessThanOrEqualTo(63)
        .isNotEqualTo(ChildToken.name(longName, "ns-two"));
  }

  @Test
  void aSpecOrLabelChangeMakesTheChildOutOfDateAndTheRolloutKeepsItsOtherMetadata() {
    HoneyToken child = ChildToken.of(parent(), HOME).forNamespace("shop");
    child.getMetadata().setResourceVersion("42");
    child.getMetadata().setFinalizers(List.of(SpaceCrab.FINALIZER));
    child.getMetadata().getLabels().put("added-by-someone", "yes");

    ClusterHoneyToken changed = parent();
    changed.getSpec().getTemplate().getSpec().setOwner("platform-oncall");
    assertThat(ChildToken.of(changed, HOME).upToDate(child)).isFalse();
    ClusterHoneyToken relabelled = parent();
    relabelled.getSpec().getTemplate().getMetadata().setLabels(Map.of("team", "platform"));
    assertThat(ChildToken.of(relabelled, HOME).upToDate(child)).isFalse();

    HoneyToken rolled = ChildToken.of(changed, HOME).rolledOut(child);
    assertThat(rolled.getSpec().getOwner()).isEqualTo("platform-oncall");
    assertThat(rolled.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(rolled.getMetadata().getFinalizers()).containsExactly(SpaceCrab.FINALIZER);
    assertThat(rolled.getMetadata().getLabels()).containsEntry("added-by-someone", "yes");
    assertThat(ChildToken.of(changed, HOME).upToDate(rolled)).isTrue();
  }

  @Test
  void aLabelOrAnnotationDroppedFromTheTemplateIsRemovedFromTheChildOthersStay() {
    HoneyToken child = ChildToken.of(parent(), HOME).forNamespace("shop");
    child.getMetadata().getLabels().put("added-by-someone", "yes");
    child.getMetadata().getAnnotations().put("note-by-someone", "keep");

    ClusterHoneyToken trimmed = parent();
    trimmed.getSpec().getTemplate().getMetadata().setLabels(Map.of("tier", "gold"));
    trimmed.getSpec().getTemplate().getMetadata().setAnnotations(Map.of());
    assertThat(ChildToken.of(trimmed, HOME).upToDate(child)).isFalse();

    HoneyToken rolled = ChildToken.of(trimmed, HOME).rolledOut(child);
    assertThat(rolled.getMetadata().getLabels()).doesNotContainKey("team").containsEntry("tier", "gold")
        .containsEntry("added-by-someone", "yes").containsEntry(SpaceCrab.CLUSTER_TOKEN_LABEL, "ci-credentials");
    assertThat(rolled.getMetadata().getAnnotations()).doesNotContainKey("example.com/contact")
        .containsEntry("note-by-someone", "keep");
    assertThat(ChildToken.of(trimmed, HOME).upToDate(rolled)).isTrue();
  }

  @Test
  void templateKeysSurviveTheirTextAndUnreadableTextRemovesNothing() {
    TemplateKeys keys = TemplateKeys.of(List.of("team", "example.com/tier"), List.of("example.com/contact"));
    assertThat(TemplateKeys.parse(keys.text())).isEqualTo(keys);
    assertThat(TemplateKeys.parse("garbage;;=x,y").labels()).isEmpty();
    assertThat(TemplateKeys.parse(null).annotations()).isEmpty();
  }

  @Test
  void aSameNamedTokenWithoutTheLabelIsNotOwned() {
    HoneyToken foreign = Tokens.token("shop", "ci-credentials", "other");
    assertThat(ChildToken.ownedBy(foreign, parent())).isFalse();
  }
}
