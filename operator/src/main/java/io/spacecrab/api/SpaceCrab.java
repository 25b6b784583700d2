package io.spacecrab.api;

/** The operator's API domain: group, finalizer, and the names of its own bookkeeping. */
public final class SpaceCrab {
  public static final String GROUP = "spacecrab.io";
  public static final String VERSION = "v1alpha1";
  public static final String FINALIZER = GROUP + "/cleanup";
  public static final String CATEGORY = "spacecrab";

  /** Event source component name. */
  public static final String COMPONENT = "spacecrab-operator";

  /** Label on each HoneyToken a ClusterHoneyToken created; its value is the ClusterHoneyToken's name. */
  public static final String CLUSTER_TOKEN_LABEL = GROUP + "/cluster-token";

  /**
   * Annotation on each HoneyToken a ClusterHoneyToken created: the label and annotation keys its
   * template set, so that a key later removed from the template is removed from the children too.
   */
  public static final String TEMPLATE_KEYS_ANNOTATION = GROUP + "/template-keys";

  /**
   * Annotations on a ClusterHoneyToken child that takes over the IAM user and key of a child an
   * earlier version created in the tenant namespace itself: that child's user name and uid.
   * Honoured only on tokens in the security namespace (tenants cannot write there).
   */
  public static final String ADOPT_USER_ANNOTATION = GROUP + "/adopt-user";
  public static final String ADOPT_UID_ANNOTATION = GROUP + "/adopt-uid";

  /**
   * The registry uid prefix of the operator's self-test key (a token with no HoneyToken object; the
   * rest is derived from the seal key, see SelfTestReconciler): the
   * detector records its uses as pipeline health, never as a breach. Not a Kubernetes uid, so no
   * object can carry it.
   */
  public static final String SELF_TEST_UID = "self-test";

  /** Name of the PipelineHealth object in the operator's namespace (and of the self-test's registry record). */
  public static final String SELF_TEST_NAME = "self-test";

  /** HoneyTokenAlert reason of a pipeline notice: a self-test use missed its deadline on one intake path. */
  public static final String PIPELINE_DOWN = "PipelineDown";

  private SpaceCrab() {}
}
