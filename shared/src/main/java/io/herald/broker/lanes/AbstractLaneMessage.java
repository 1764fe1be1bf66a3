package io.herald.broker.lanes;

import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;

/**
 * What every adapter's lane message carries: its lane, the decoded event (or why it is not one), the message as the
 * broker carried it, and the broker's delivery count. An adapter adds only what settling needs.
 */
public abstract class AbstractLaneMessage implements LaneMessage {

  private final String lane;
  private final RecordedEvent event;
  private final UndecodableMessageException decodeFailure;
  private final RawMessage raw;
  private final int attempt;

  protected AbstractLaneMessage(String lane, RecordedEvent event, UndecodableMessageException decodeFailure,
      RawMessage raw, int attempt) {
    this.lane = lane;
    this.event = event;
    this.decodeFailure = decodeFailure;
    this.raw = raw;
    this.attempt = attempt;
  }

  @Override
  public final String lane() {
    return lane;
  }

  @Override
  public final RecordedEvent event() {
    return event;
  }

  @Override
  public final UndecodableMessageException decodeFailure() {
    return decodeFailure;
  }

  @Override
  public final RawMessage raw() {
    return raw;
  }

  @Override
  public final int attempt() {
    return attempt;
  }
}
