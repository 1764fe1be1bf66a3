package io.herald.projection.document;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a {@link DocumentProjector} writes through while it applies one event. On PostgreSQL every call runs in
 * the event's transaction, together with the projection's checkpoint.
 */
public interface DocumentWriter {

  Future<Optional<JsonObject>> get(String collection, String id);

  /** Inserts or replaces a document; a new document's {@code seq} is the position of the event being applied. */
  Future<Void> put(String collection, String id, JsonObject doc);

  Future<Void> delete(String collection, String id);

  /**
   * Reads, changes and writes back one document.
   *
   * @param change gets the current document ({@code null} when there is none) and returns the new one, or
   *               {@code null} to leave the collection as it is
   */
  default Future<Void> update(String collection, String id, UnaryOperator<JsonObject> change) {
    return get(collection, id).compose(current -> {
      JsonObject next = change.apply(current.orElse(null));
      return next == null ? Future.succeededFuture() : put(collection, id, next);
    });
  }
}
