package io.herald.broker.lanes;

import io.herald.broker.BrokerException;
import io.herald.broker.Delivery;
import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/** A delivery handed out by {@link StreamLanes}; settling it goes through the lanes. */
final class LaneDelivery implements Delivery {

  private final StreamLanes lanes;
  private final LaneMessage message;
  private final int attempt;
  final long generation;
  volatile boolean settled;

  LaneDelivery(StreamLanes lanes, LaneMessage message, int attempt, long generation) {
    this.lanes = lanes;
    this.message = message;
    this.attempt = attempt;
    this.generation = generation;
  }

  LaneMessage source() {
    return message;
  }

  @Override
  public RecordedEvent event() {
    return message.event();
  }

  @Override
  public UndecodableMessageException decodeFailure() {
    return message.decodeFailure();
  }

  @Override
  public RawMessage message() {
    return message.raw();
  }

  @Override
  public String group() {
    return lanes.group();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Future<Void> ack() {
    return lanes.settle(this, StreamLanes.Outcome.ACK, null, attempt);
  }

  @Override
  public Future<Void> nack(Throwable reason) {
    return lanes.settle(this, StreamLanes.Outcome.NACK, reason, attempt);
  }

  @Override
  public Future<Void> deadLetter(Throwable reason, int attempts) {
    return lanes.settle(this, StreamLanes.Outcome.DEAD_LETTER,
        reason == null ? new BrokerException("dead-lettered without a reason") : reason, attempts);
  }

  @Override
  public String toString() {
    RecordedEvent event = message.event();
    return (event == null ? "undecodable message from " + message.raw().destination()
        : "delivery of position " + event.position() + " (" + event.type() + ", stream " + event.streamId() + ")")
        + " to group '" + lanes.group() + "', attempt " + attempt;
  }
}
