package io.herald.broker.nats;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.lanes.LaneMessage;
import io.herald.event.RecordedEvent;
import io.nats.client.Message;
import io.vertx.core.Future;

/** A JetStream message handed to the lanes of a group member; settling it goes through that member. */
final class NatsLaneMessage implements LaneMessage {

  private final NatsGroupMember member;
  private final Message message;
  private final RawMessage raw;
  private final RecordedEvent event;
  private final UndecodableMessageException decodeFailure;
  private final long generation;

  NatsLaneMessage(NatsGroupMember member, Message message, RawMessage raw, RecordedEvent event,
                  UndecodableMessageException decodeFailure, long generation) {
    this.member = member;
    this.message = message;
    this.raw = raw;
    this.event = event;
    this.decodeFailure = decodeFailure;
    this.generation = generation;
  }

  Message message() {
    return message;
  }

  long streamSequence() {
    return message.metaData().streamSequence();
  }

  long generation() {
    return generation;
  }

  /** A message that is not an event gets a lane of its own, so it never holds back a real stream. */
  @Override
  public String lane() {
    return event != null ? event.streamId() : "undecodable #" + streamSequence();
  }

  @Override
  public RecordedEvent event() {
    return event;
  }

  @Override
  public UndecodableMessageException decodeFailure() {
    return decodeFailure;
  }

  @Override
  public RawMessage raw() {
    return raw;
  }

  @Override
  public int attempt() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(1, message.metaData().deliveredCount()));
  }

  @Override
  public Future<Void> ack() {
    return member.ack(this);
  }

  @Override
  public Future<Void> deadLetter(Throwable reason, int attempts) {
    return member.deadLetter(this, reason, attempts);
  }
}
