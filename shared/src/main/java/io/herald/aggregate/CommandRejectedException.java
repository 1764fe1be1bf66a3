package io.herald.aggregate;

/** A command the aggregate refuses in its current state, with the reason (e.g. {@code order already paid}). */
public final class CommandRejectedException extends RuntimeException {

  private final String aggregateId;

  public CommandRejectedException(String aggregateId, String reason) {
    super(reason);
    this.aggregateId = aggregateId;
  }

  public String aggregateId() {
    return aggregateId;
  }
}
