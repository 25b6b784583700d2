package io.spacecrab.token;

/** What one ClusterHoneyToken reconcile wrote: HoneyTokens created, updated and deleted. */
final class ChildChanges {
  private int created;
  private int updated;
  private int deleted;

  void created() {
    created++;
  }

  void updated() {
    updated++;
  }

  void deleted() {
    deleted++;
  }

  /** True when anything was written. */
  boolean any() {
    return created + updated + deleted > 0;
  }

  /** A sentence for the Event. */
  String summary() {
    return "Created " + created + ", updated " + updated + " and deleted " + deleted
        + " HoneyTokens to match the selected namespaces and the template.";
  }
}
