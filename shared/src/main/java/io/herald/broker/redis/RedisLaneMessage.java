package io.herald.broker.redis;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.lanes.LaneMessage;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/** A stream entry a member read, handed to its lanes; settling it goes back to the member that read it. */
final class RedisLaneMessage implements LaneMessage {

  private final RedisMember member;
  private final long generation;
  private final StreamEntry entry;
  private final String lane;
  private final RecordedEvent event;
  private final UndecodableMessageException decodeFailure;
  private final RawMessage raw;
  private final int attempt;

  RedisLaneMessage(RedisMember member, long generation, StreamEntry entry, String lane, RecordedEvent event,
                   UndecodableMessageException decodeFailure, RawMessage raw, int attempt) {
    this.member = member;
    this.generation = generation;
    this.entry = entry;
    this.lane = lane;
    this.event = event;
    this.decodeFailure = decodeFailure;
    this.raw = raw;
    this.attempt = attempt;
  }

  StreamEntry entry() {
    return entry;
  }

  long generation() {
    return generation;
  }

  @Override
  public String lane() {
    return lane;
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
    return attempt;
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
