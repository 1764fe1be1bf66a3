package io.herald.projection.document;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;

/** Turns one event into document changes. Events it has no interest in should just succeed. */
@FunctionalInterface
public interface DocumentProjector {

  Future<Void> apply(DocumentWriter writer, RecordedEvent event);
}
