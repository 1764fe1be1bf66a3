package io.herald.relay;

import io.herald.broker.PublishRefusedException;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/**
 * Where the relay sets aside an event the broker refused for good ({@link PublishRefusedException}): a dead letter,
 * a metric. The relay publishes the next event only once the returned future succeeded; a failed one is retried
 * with the relay's backoff, so a refused event is never dropped unrecorded.
 */
@FunctionalInterface
public interface RefusedEventHandler {

  /**
   * @param event  the refused event
   * @param reason the broker's refusal
   * @return succeeds once the event is kept where operators find it
   */
  Future<Void> refused(RecordedEvent event, PublishRefusedException reason);
}
