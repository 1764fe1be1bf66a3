package io.herald.broker.eventbus;

import io.herald.broker.BrokerException;
import io.herald.broker.Delivery;
import io.herald.broker.RawMessage;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.Map;

/** A delivery of the event-bus broker; settling it hops to the broker's context. */
final class EventBusDelivery implements Delivery {

  private final EventBusBroker broker;
  private final EventBusGroup group;
  private final EventBusMember member;
  private final EventBusGroup.Lane lane;
  private final RecordedEvent event;
  private final int attempt;
  private volatile boolean settled;

  EventBusDelivery(EventBusBroker broker, EventBusGroup group, EventBusMember member, EventBusGroup.Lane lane,
                   RecordedEvent event, int attempt) {
    this.broker = broker;
    this.group = group;
    this.member = member;
    this.lane = lane;
    this.event = event;
    this.attempt = attempt;
  }

  @Override
  public RecordedEvent event() {
    return event;
  }

  @Override
  public String group() {
    return group.name();
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public RawMessage message() {
    return new RawMessage(broker.cloudEvents().encode(event), Map.of(),
        broker.options().address() + " group " + group.name() + " #" + event.position());
  }

  @Override
  public Future<Void> ack() {
    return broker.settle(this, null);
  }

  @Override
  public Future<Void> deadLetter(Throwable reason, int attempts) {
    return broker.deadLetter(this, reason == null ? new BrokerException("dead-lettered without a reason") : reason, attempts);
  }

  @Override
  public Future<Void> nack(Throwable reason) {
    return broker.settle(this, reason == null ? new BrokerException("nacked without a reason") : reason);
  }

  EventBusGroup consumerGroup() {
    return group;
  }

  EventBusMember member() {
    return member;
  }

  EventBusGroup.Lane lane() {
    return lane;
  }

  boolean isSettled() {
    return settled;
  }

  void markSettled() {
    settled = true;
  }

  @Override
  public String toString() {
    return "delivery of position " + event.position() + " (" + event.type() + ", stream " + event.streamId()
        + ") to group '" + group.name() + "', attempt " + attempt;
  }
}
