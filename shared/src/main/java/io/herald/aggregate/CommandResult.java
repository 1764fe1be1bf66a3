package io.herald.aggregate;

import io.herald.event.EventEnvelope;
import io.herald.store.AppendResult;
import java.util.List;

/**
 * What a handled command did.
 *
 * @param aggregate the aggregate after the command
 * @param append    where its events were stored, or {@code null} when the command decided on no events
 * @param events    the stored envelopes, empty when nothing was appended
 * @param <S>       the state type
 */
public record CommandResult<S>(Loaded<S> aggregate, AppendResult append, List<EventEnvelope> events) {

  public CommandResult {
    events = List.copyOf(events);
  }

  public boolean changed() {
    return append != null;
  }
}
