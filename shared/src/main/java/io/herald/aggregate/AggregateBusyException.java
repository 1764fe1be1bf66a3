package io.herald.aggregate;

/**
 * A command refused before it was decided because too many commands already wait for the same aggregate: nothing
 * was changed, and the same command may be sent again after a short wait.
 */
public final class AggregateBusyException extends RuntimeException {

  private final String aggregateId;

  public AggregateBusyException(String aggregateId, int waiting, int limit) {
    super("busy: " + waiting + " commands already wait for " + aggregateId + " (limit " + limit + "); retry shortly");
    this.aggregateId = aggregateId;
  }

  public String aggregateId() {
    return aggregateId;
  }
}
