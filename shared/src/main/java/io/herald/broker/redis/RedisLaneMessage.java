package io.herald.broker.redis;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.lanes.AbstractLaneMessage;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/** A stream entry a member read, handed to its lanes; settling it goes back to the member that read it. */
final class RedisLaneMessage extends AbstractLaneMessage {

  private final RedisMember member;
  private final long generation;
  private final StreamEntry entry;

  RedisLaneMessage(RedisMember member, long generation, StreamEntry entry, String lane, RecordedEvent event,
                   UndecodableMessageException decodeFailure, RawMessage raw, int attempt) {
    super(lane, event, decodeFailure, raw, attempt);
    this.member = member;
    this.generation = generation;
    this.entry = entry;
  }

  StreamEntry entry() {
    return entry;
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
