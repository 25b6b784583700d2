package io.spacecrab.testing;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.spacecrab.api.v1alpha1.ClusterHoneyToken;
import io.spacecrab.api.v1alpha1.ClusterHoneyTokenSpec;
import io.spacecrab.api.v1alpha1.HoneyToken;
import io.spacecrab.api.v1alpha1.HoneyTokenTemplate;
import io.spacecrab.api.v1alpha1.HoneyTokenSpec;
import io.spacecrab.api.v1alpha1.SecretTarget;

/** HoneyToken objects for tests. */
public final class Tokens {
  private Tokens() {}

  /** A minimal valid token: env-format Secret, an owner. */
  public static HoneyToken token(String namespace, String name, String secretName) {
    HoneyToken token = new HoneyToken();
    token.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).build());
    HoneyTokenSpec spec = new HoneyTokenSpec();
    SecretTarget secret = new SecretTarget();
    secret.setName(secretName);
    spec.setSecret(secret);
    spec.setOwner("team-" + namespace);
    token.setSpec(spec);
    return token;
  }

  /** A ClusterHoneyToken over the namespaces labelled {@code key=value}, planting Secret {@code secretName}. */
  public static ClusterHoneyToken clusterToken(String name, String key, String value, String secretName) {
    return clusterToken(name, new LabelSelectorBuilder().addToMatchLabels(key, value).build(), secretName);
  }

  /** A ClusterHoneyToken over the namespaces {@code selector} picks, planting Secret {@code secretName}. */
  public static ClusterHoneyToken clusterToken(String name, LabelSelector selector, String secretName) {
    ClusterHoneyToken parent = new ClusterHoneyToken();
    parent.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterHoneyTokenSpec spec = new ClusterHoneyTokenSpec();
    spec.setNamespaceSelector(selector);
    HoneyTokenTemplate template = new HoneyTokenTemplate();
    template.setSpec(token("-", "-", secretName).getSpec());
    template.getSpec().setOwner("security-oncall");
    spec.setTemplate(template);
    parent.setSpec(spec);
    return parent;
  }
}
