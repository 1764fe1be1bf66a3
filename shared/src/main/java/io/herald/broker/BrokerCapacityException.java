package io.herald.broker;

/**
 * A publish was refused because a consumer group already holds as many unacknowledged events as it may.
 * Nothing of that publish was delivered; retry it once the group's consumers have caught up.
 */
public final class BrokerCapacityException extends BrokerException {

  private final String group;
  private final int limit;

  public BrokerCapacityException(String group, int limit, long position) {
    super("consumer group '" + group + "' holds " + limit + " unacknowledged events (its limit); event at position "
        + position + " was not accepted");
    this.group = group;
    this.limit = limit;
  }

  /** @return the group that is full */
  public String group() {
    return group;
  }

  /** @return the group's limit, in events */
  public int limit() {
    return limit;
  }
}
