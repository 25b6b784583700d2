package io.spacecrab.notify;

/** What a notification announces about an incident. */
public enum NotificationKind {
  /** The first notification of a new incident. */
  OPENED("opened"),
  /** The incident grew: more calls, addresses or APIs since the last notification. */
  UPDATED("updated"),
  /** Someone resolved the alert. */
  RESOLVED("resolved");

  private final String wireName;

  NotificationKind(String wireName) {
    this.wireName = wireName;
  }

  /** Lower-case name used in payloads, e.g. {@code opened}. */
  public String wireName() {
    return wireName;
  }
}
