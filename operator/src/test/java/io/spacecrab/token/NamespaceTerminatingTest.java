package io.spacecrab.token;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

/** The real API server's refusal to create in a namespace being deleted, told apart from an RBAC refusal. */
class NamespaceTerminatingTest {

  @Test
  void recognisesTheRefusalOfANamespaceBeingDeleted() {
    // as kube-apiserver 1.35 answered a POST of a Secret into a Terminating namespace
    Status status = Serialization.unmarshal("""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
         "message":"secrets \\"aws-deploy\\" is forbidden: unable to create new content in namespace doomed because it is being terminated",
         "reason":"Forbidden",
         "details":{"name":"aws-deploy","kind":"secrets","causes":[{"reason":"NamespaceTerminating",
           "message":"namespace doomed is being terminated","field":"metadata.namespace"}]},
         "code":403}""", Status.class);
    assertThat(HoneyTokenReconciler.namespaceTerminating(new KubernetesClientException(status))).isTrue();
  }

  @Test
  void anRbacRefusalIsNotOne() {
    Status status = Serialization.unmarshal("""
        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
         "message":"secrets is forbidden: User \\"system:serviceaccount:spacecrab-system:spacecrab\\" cannot create resource \\"secrets\\" in API group \\"\\" in the namespace \\"payments\\"",
         "reason":"Forbidden","details":{"kind":"secrets"},"code":403}""", Status.class);
    assertThat(HoneyTokenReconciler.namespaceTerminating(new KubernetesClientException(status))).isFalse();
    assertThat(HoneyTokenReconciler.namespaceTerminating(new KubernetesClientException("no status"))).isFalse();
  }
}
