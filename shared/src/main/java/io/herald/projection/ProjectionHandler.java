package io.herald.projection;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/**
 * Applies events to one read model. Events arrive once each, in global order; the runner stores the checkpoint
 * after the returned future succeeded, so after a crash the events since the last checkpoint are applied again:
 * make {@link #apply} idempotent (upserts keyed by the event's aggregate, or compare {@code event.position()}),
 * or keep the read model and the checkpoint in one transaction.
 */
public interface ProjectionHandler {

  /** Applies one event; a failed future stops the projection in state {@link ProjectionState#FAILED}. */
  Future<Void> apply(RecordedEvent event);

  /** Empties the read model before a rebuild from position 1. */
  Future<Void> reset();
}
