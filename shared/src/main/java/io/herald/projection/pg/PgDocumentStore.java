package io.herald.projection.pg;

import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionHandler;
import io.herald.projection.document.DocumentProjector;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentStore;
import io.herald.projection.document.DocumentWriter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Documents in the store schema's {@code documents} table (migration V3), as jsonb. Lists filter with
 * {@code doc @> matching}, served by a GIN index. A projection writes its documents and its checkpoint in one
 * transaction per event ({@link PgTransactionalProjection}), so after a crash it applies nothing twice.
 */
public final class PgDocumentStore implements DocumentStore {

  private static final String GET = "SELECT doc FROM documents WHERE collection = $1 AND id = $2";
  private static final String FIND = "SELECT doc FROM documents WHERE collection = $1 AND seq > $2 AND doc @> $3::jsonb"
      + " ORDER BY seq, id LIMIT $4";
  private static final String PUT = "INSERT INTO documents (collection, id, seq, doc) VALUES ($1, $2, $3, $4::jsonb)"
      + " ON CONFLICT (collection, id) DO UPDATE SET doc = EXCLUDED.doc";
  private static final String DELETE = "DELETE FROM documents WHERE collection = $1 AND id = $2";
  private static final String CLEAR = "DELETE FROM documents WHERE collection = ANY($1)";

  private final Pool pool;

  /** @param pool connections whose search path is the store's schema ({@code PgEventStore.pool()}) */
  public PgDocumentStore(Pool pool) {
    this.pool = Objects.requireNonNull(pool, "pool");
  }

  @Override
  public Future<Optional<JsonObject>> get(String collection, String id) {
    return get(pool, collection, id);
  }

  @Override
  public Future<List<JsonObject>> find(String collection, DocumentQuery query) {
    return pool.preparedQuery(FIND)
        .execute(Tuple.of(collection, query.afterSeq(), query.matching(), query.limit()))
        .map(rows -> {
          List<JsonObject> docs = new ArrayList<>(rows.size());
          for (Row row : rows) {
            docs.add(document(row));
          }
          return docs;
        });
  }

  @Override
  public ProjectionHandler projection(String name, Set<String> collections, DocumentProjector projector) {
    Objects.requireNonNull(projector, "projector");
    String[] owned = collections.toArray(String[]::new);
    return new PgTransactionalProjection(pool, name,
        (tx, event) -> projector.apply(new TxWriter(tx, event), event),
        tx -> tx.preparedQuery(CLEAR).execute(Tuple.of(owned)).mapEmpty());
  }

  private static Future<Optional<JsonObject>> get(SqlClient client, String collection, String id) {
    return client.preparedQuery(GET).execute(Tuple.of(collection, id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(document(rows.iterator().next())));
  }

  // jsonb arrives as a JsonObject from the pg client
  private static JsonObject document(Row row) {
    Object doc = row.getValue(0);
    return doc instanceof JsonObject json ? json : new JsonObject(String.valueOf(doc));
  }

  private static final class TxWriter implements DocumentWriter {
    private final SqlConnection tx;
    private final long position;

    TxWriter(SqlConnection tx, RecordedEvent event) {
      this.tx = tx;
      this.position = event.position();
    }

    @Override
    public Future<Optional<JsonObject>> get(String collection, String id) {
      return PgDocumentStore.get(tx, collection, id);
    }

    @Override
    public Future<Void> put(String collection, String id, JsonObject doc) {
      return tx.preparedQuery(PUT).execute(Tuple.of(collection, id, position, doc)).mapEmpty();
    }

    @Override
    public Future<Void> delete(String collection, String id) {
      return tx.preparedQuery(DELETE).execute(Tuple.of(collection, id)).mapEmpty();
    }
  }
}
