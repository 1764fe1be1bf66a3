package io.herald.broker.lanes;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.function.Supplier;

/**
 * The {@link LaneMessage} of every adapter: what a group member read, decoded, with the broker's own message
 * ({@code source}) and the member's generation when it read it; settling it goes back to that member.
 *
 * @param <T> what the broker handed the member (a record, an entry, a delivery...)
 */
public final class MemberMessage<T> implements LaneMessage {

  /** How the member that read a message settles it with its broker. */
  public interface Settler<T> {

    Future<Void> ack(MemberMessage<T> message);

    Future<Void> deadLetter(MemberMessage<T> message, Throwable reason, int attempts);
  }

  private final Settler<T> member;
  private final T source;
  private final long generation;
  private final RawMessage raw;
  private final int attempt;
  private final RecordedEvent event;
  private final UndecodableMessageException decodeFailure;
  private final String lane;

  /**
   * Decodes the message now: a failure of {@code decode} makes it a message that is not an event, with a lane of its
   * own ({@code ownKey} tells it apart from the others), so it never holds back a real stream.
   *
   * @param attempt the broker's delivery count, 1 on a first delivery
   */
  public MemberMessage(Settler<T> member, T source, long generation, RawMessage raw, int attempt,
                       Supplier<RecordedEvent> decode, String ownKey) {
    this.member = member;
    this.source = source;
    this.generation = generation;
    this.raw = raw;
    this.attempt = attempt;
    RecordedEvent decoded = null;
    UndecodableMessageException failure = null;
    try {
      decoded = decode.get();
    } catch (UndecodableMessageException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new UndecodableMessageException(e.toString(), e);
    }
    this.event = decoded;
    this.decodeFailure = failure;
    this.lane = decoded != null ? decoded.streamId() : "\u0000undecodable " + ownKey;
  }

  /** @return what the broker handed the member */
  public T source() {
    return source;
  }

  /** @return the member's generation when it read the message: settling is refused once it changed */
  public long generation() {
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

  @Override
  public String toString() {
    return "message of " + raw.destination() + (event == null ? " (undecodable)"
        : " (position " + event.position() + ", " + event.type() + ", stream " + event.streamId() + ")");
  }
}
