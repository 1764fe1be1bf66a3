package io.herald.projection.pg;

import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionHandler;
import io.herald.projection.document.DocumentProjector;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentStore;
import io.herald.projection.document.DocumentWriter;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Documents in the store schema's {@code documents} table (migration V3), as jsonb. Lists filter with
 * {@code doc @> matching}, served by a GIN index. A projection writes its documents and its checkpoint in one
 * transaction per page of events, the checkpoint moving only forward from where the page starts, so after a crash
 * or a commit whose answer was lost it applies nothing twice.
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
    return get(pool, collection, id).recover(PgDocumentStore::unavailable);
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
        })
        .recover(PgDocumentStore::unavailable);
  }

  // the server answered with an error: pass it on; anything else means PostgreSQL could not be reached
  static <T> Future<T> unavailable(Throwable err) {
    if (err instanceof PgException || err instanceof StoreUnavailableException || !isSqlClientFailure(err)) {
      return Future.failedFuture(err);
    }
    return Future.failedFuture(new StoreUnavailableException("read models in PostgreSQL are unavailable: " + err.getMessage(), err));
  }

  // failures of the connection itself, as opposed to a projector's own exceptions, which pass through unchanged
  private static boolean isSqlClientFailure(Throwable err) {
    for (Throwable t = err; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof io.vertx.sqlclient.ClosedConnectionException || t instanceof java.net.ConnectException
          || t instanceof io.vertx.core.VertxException && String.valueOf(t.getMessage()).toLowerCase().contains("connection")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public ProjectionHandler projection(String name, Set<String> collections, DocumentProjector projector) {
    Objects.requireNonNull(projector, "projector");
    return new PageProjection(Objects.requireNonNull(name, "name"), collections.toArray(String[]::new), projector);
  }

  /**
   * Applies a page of events in one transaction: documents are read through and written back once per page
   * (one batched statement), and the checkpoint moves in the same transaction. A failed page is applied again
   * an event at a time, so the projection stops exactly at the event that fails.
   */
  private final class PageProjection implements ProjectionHandler {
    private final String[] owned;
    private final CheckpointedPages pages;

    PageProjection(String name, String[] owned, DocumentProjector projector) {
      this.owned = owned;
      this.pages = new CheckpointedPages(pool, name, (tx, events) -> {
        PageWriter writer = new PageWriter(tx);
        Future<Void> chain = Future.succeededFuture();
        for (RecordedEvent event : events) {
          chain = chain.compose(v -> {
            writer.position = event.position();
            return projector.apply(writer, event);
          });
        }
        return chain.compose(v -> writer.flush());
      });
    }

    @Override
    public Future<Void> apply(RecordedEvent event) {
      return pages.commit(CheckpointedPages.UNKNOWN, List.of(event));
    }

    @Override
    public Future<Void> applyPage(List<RecordedEvent> events) {
      return pages.commitOrFind(CheckpointedPages.UNKNOWN, events);
    }

    @Override
    public Future<Void> applyPage(long after, List<RecordedEvent> events) {
      return pages.commitOrFind(after, events);
    }

    @Override
    public Future<Void> reset() {
      return pool.withTransaction(tx -> tx.preparedQuery(CLEAR).execute(Tuple.of((Object) owned))
          .compose(v -> pages.reset(tx)));
    }
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

  /** Reads through to the transaction, keeps writes until {@link #flush()}: a document changed by many events is written once. */
  private static final class PageWriter implements DocumentWriter {
    private final SqlConnection tx;
    private final Map<Key, Pending> pending = new LinkedHashMap<>();
    long position;

    PageWriter(SqlConnection tx) {
      this.tx = tx;
    }

    @Override
    public Future<Optional<JsonObject>> get(String collection, String id) {
      Pending p = pending.get(new Key(collection, id));
      if (p != null) {
        return Future.succeededFuture(p.doc == null ? Optional.empty() : Optional.of(p.doc.copy()));
      }
      return PgDocumentStore.get(tx, collection, id);
    }

    @Override
    public Future<Void> put(String collection, String id, JsonObject doc) {
      Key key = new Key(collection, id);
      Pending before = pending.get(key);
      boolean recreated = before != null && before.doc == null;
      long seq = before == null || recreated ? position : before.seq;
      pending.put(key, new Pending(doc.copy(), seq, before != null && before.deleteFirst || recreated));
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> delete(String collection, String id) {
      pending.put(new Key(collection, id), new Pending(null, 0, true));
      return Future.succeededFuture();
    }

    Future<Void> flush() {
      List<Tuple> deletes = new ArrayList<>();
      List<Tuple> upserts = new ArrayList<>();
      pending.forEach((key, p) -> {
        if (p.deleteFirst) {
          deletes.add(Tuple.of(key.collection, key.id));
        }
        if (p.doc != null) {
          upserts.add(Tuple.of(key.collection, key.id, p.seq, p.doc));
        }
      });
      Future<Void> deleted = deletes.isEmpty() ? Future.succeededFuture()
          : tx.preparedQuery(DELETE).executeBatch(deletes).mapEmpty();
      return deleted.compose(v -> upserts.isEmpty() ? Future.succeededFuture()
          : tx.preparedQuery(PUT).executeBatch(upserts).mapEmpty());
    }
  }

  private record Key(String collection, String id) {
  }

  /** A document's state at the end of the page so far: {@code doc == null} means deleted. */
  private record Pending(JsonObject doc, long seq, boolean deleteFirst) {
  }
}
