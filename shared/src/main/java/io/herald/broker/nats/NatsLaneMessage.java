package io.herald.broker.nats;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.lanes.AbstractLaneMessage;
import io.herald.event.RecordedEvent;
import io.nats.client.Message;
import io.vertx.core.Future;

/** A JetStream message handed to the lanes of a group member; settling it goes through that member. */
final class NatsLaneMessage extends AbstractLaneMessage {

  private final NatsMember member;
  private final Message message;
  private final long generation;

  NatsLaneMessage(NatsMember member, Message message, RawMessage raw, RecordedEvent event,
                  UndecodableMessageException decodeFailure, long generation) {
    // a message that is not an event gets a lane of its own, so it never holds back a real stream
    super(event != null ? event.streamId() : "undecodable #" + message.metaData().streamSequence(), event,
        decodeFailure, raw, (int) Math.min(Integer.MAX_VALUE, Math.max(1, message.metaData().deliveredCount())));
    this.member = member;
    this.message = message;
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

  @Override
  public Future<Void> ack() {
    return member.ack(this);
  }

  @Override
  public Future<Void> deadLetter(Throwable reason, int attempts) {
    return member.deadLetter(this, reason, attempts);
  }
}
