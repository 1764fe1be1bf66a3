package io.herald.projection;

import io.herald.async.Sequential;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import java.util.List;

/**
 * Applies events to one read model. Events arrive once each, in global order; the runner stores the checkpoint
 * after the returned future succeeded, so after a crash the events since the last checkpoint are applied again:
 * make {@link #apply} idempotent (upserts keyed by the event's aggregate, or compare {@code event.position()}),
 * or keep the read model and the checkpoint in one transaction.
 */
public interface ProjectionHandler {

  /** Applies one event; a failed future stops the projection in state {@link ProjectionState#FAILED}. */
  Future<Void> apply(RecordedEvent event);

  /**
   * Applies consecutive events, in order. The default applies them one by one; a handler that can commit many
   * events in one transaction overrides it (the runner hands it a page of the store at a time). A failure should be
   * a {@link PageFailedException} when some of the events were applied.
   */
  default Future<Void> applyPage(List<RecordedEvent> events) {
    return applyEach(this, events);
  }

  /**
   * Applies consecutive events that follow position {@code after}, the last position the runner applied (0 for
   * none). A handler that keeps its checkpoint in its own transaction moves it only from {@code after}, so a page
   * whose earlier commit went through unseen (the connection dropped after COMMIT) is not applied twice. The
   * default ignores {@code after}.
   */
  default Future<Void> applyPage(long after, List<RecordedEvent> events) {
    return applyPage(events);
  }

  /**
   * Applies events one by one with {@link #apply}; when one fails, the future fails with a
   * {@link PageFailedException} telling how far it got.
   */
  static Future<Void> applyEach(ProjectionHandler handler, List<RecordedEvent> events) {
    return Sequential.each(events, (i, event) -> {
      long before = i == 0 ? event.position() - 1 : events.get(i - 1).position();
      Future<Void> applied;
      try {
        applied = handler.apply(event);
      } catch (RuntimeException e) {
        applied = Future.failedFuture(e);
      }
      return applied.recover(err -> Future.failedFuture(err instanceof PageFailedException ? err
          : new PageFailedException(before, event.position(), err)));
    });
  }

  /** Empties the read model before a rebuild from position 1. */
  Future<Void> reset();
}
