package io.herald.projection.document;

import io.herald.projection.ProjectionHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Read models as JSON documents: collections of documents by id, written only by projections and read by queries.
 * A document remembers the global position of the event that first wrote it ({@code seq}), so a collection lists
 * in the order its documents appeared (orders by placement, audit entries by position).
 *
 * <p>Two implementations share one contract: {@link InMemoryDocumentStore} and, on PostgreSQL,
 * {@link io.herald.projection.pg.PgDocumentStore}, whose projections write documents and checkpoint in one
 * transaction.
 */
public interface DocumentStore {

  /** @return the document, or empty when the collection has none with this id */
  Future<Optional<JsonObject>> get(String collection, String id);

  /** @return the documents that match, in {@code seq} order */
  Future<List<JsonObject>> find(String collection, DocumentQuery query);

  /**
   * Keeps an index over the content of {@code collection}'s documents, for a collection that is listed by its fields
   * ({@link DocumentQuery#where}) and grows large: finds on it then read only the documents that match. Without one a
   * find reads the collection in {@code seq} order and checks each document, which is what a collection listed by
   * position wants anyway. The answers are the same either way; an index costs every write to the collection. Asking
   * again for an index that exists does nothing. A store that finds by scanning memory has nothing to do.
   */
  default Future<Void> indexContent(String collection) {
    return Future.succeededFuture();
  }

  /**
   * Keeps an index over one top-level field of {@code collection}'s documents: finds matching on that field read only
   * the documents with its value. It costs a write far less than {@link #indexContent}, and serves only the fields it
   * names. The answers are the same with or without it; asking again does nothing.
   */
  default Future<Void> indexField(String collection, String field) {
    return Future.succeededFuture();
  }

  /**
   * A projection handler that applies events through {@code projector}; run it with a
   * {@link io.herald.projection.ProjectionRunner} of the same name.
   *
   * @param name        the projection's name, which is also its checkpoint's name
   * @param collections the collections it owns: a rebuild empties them
   */
  ProjectionHandler projection(String name, Set<String> collections, DocumentProjector projector);
}
