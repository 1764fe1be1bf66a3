package io.herald.aggregate;

/** A command or read named an aggregate that has no events. */
public class AggregateNotFoundException extends RuntimeException {

  private final String aggregateId;

  public AggregateNotFoundException(String aggregateId, String message) {
    super(message);
    this.aggregateId = aggregateId;
  }

  public String aggregateId() {
    return aggregateId;
  }
}
