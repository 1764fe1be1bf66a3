package io.herald.projection.pg;

import io.herald.async.Sequential;
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
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Documents in the store schema's {@code documents} table (migration V3), as jsonb. Lists filter with
 * {@code doc @> matching}, served by a collection's own indexes where {@link #indexField} or {@link #indexContent}
 * made them. A projection writes its documents and its checkpoint in one transaction per page of events, the
 * checkpoint moving only forward from where the page starts, so after a crash or a commit whose answer was lost it
 * applies nothing twice.
 */
public final class PgDocumentStore implements DocumentStore {

  private static final String GET = "SELECT doc FROM documents WHERE collection = $1 AND id = $2";
  /** Serializes nodes creating indexes at the same start; the value spells "herald.i". */
  private static final long INDEX_LOCK = 0x6865_7261_6c64_2e69L;
  // a page's writes as one statement each, the rows passed as arrays: one plan, one index pass, no statement per row
  private static final String PUT = "INSERT INTO documents (collection, id, seq, doc)"
      + " SELECT c, i, s, d::jsonb FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[]) AS u(c, i, s, d)"
      + " ON CONFLICT (collection, id) DO UPDATE SET doc = EXCLUDED.doc";
  private static final String DELETE = "DELETE FROM documents d USING unnest($1::text[], $2::text[]) AS u(c, i)"
      + " WHERE d.collection = u.c AND d.id = u.i";
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
    FindStatement find = FindStatement.of(collection, query);
    return pool.preparedQuery(find.sql())
        .execute(find.args())
        .map(rows -> {
          List<JsonObject> docs = new ArrayList<>(rows.size());
          for (Row row : rows) {
            docs.add(document(row));
          }
          return docs;
        })
        .recover(PgDocumentStore::unavailable);
  }

  /**
   * Creates, unless it exists, a GIN index ({@code jsonb_path_ops}) over the content of {@code collection}'s
   * documents alone, named {@code documents_content_<collection>}. Creating it holds back writes to {@code documents}
   * meanwhile: ask for it when the collection's projection starts.
   *
   * @return fails with an {@link IllegalArgumentException} for a name of other than 1 to 40 letters, digits,
   *     {@code _}, {@code .} and {@code -}
   */
  @Override
  public Future<Void> indexContent(String collection) {
    return createIndex(() -> DocumentIndexes.content(collection));
  }

  /**
   * Creates, unless it exists, a b-tree index over one top-level field of {@code collection}'s documents
   * ({@code doc -> 'field'}), named {@code documents_field_} and a digest of both names. Far cheaper to keep than a
   * content index; finds matching on the field use it. Creating it holds back writes to {@code documents} meanwhile.
   *
   * @return fails with an {@link IllegalArgumentException} for a collection name as for {@link #indexContent}, or a
   *     field name of other than 1 to 64 letters, digits and {@code _}
   */
  @Override
  public Future<Void> indexField(String collection, String field) {
    return createIndex(() -> DocumentIndexes.field(collection, field));
  }

  private Future<Void> createIndex(Supplier<String> definition) {
    String indexDefinition;
    try {
      indexDefinition = definition.get();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    // an index that exists is skipped with a notice, which the client would log at every start
    return pool.withTransaction(tx -> tx.query("SET LOCAL client_min_messages = warning").execute()
            .compose(v -> tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(INDEX_LOCK)))
            .compose(v -> tx.query(indexDefinition).execute()))
        .<Void>mapEmpty()
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
   * (one multi-row statement), and the checkpoint moves in the same transaction. A failed page is applied again
   * an event at a time, so the projection stops exactly at the event that fails.
   */
  private final class PageProjection implements ProjectionHandler {
    private final String[] owned;
    private final CheckpointedPages pages;

    PageProjection(String name, String[] owned, DocumentProjector projector) {
      this.owned = owned;
      this.pages = new CheckpointedPages(pool, name, (tx, events) -> {
        PageWriter writer = new PageWriter(tx);
        return Sequential.each(events, (i, event) -> {
          writer.position = event.position();
          Future<Void> applied = projector.apply(writer, event);
          return applied != null ? applied
              : Future.failedFuture(new IllegalStateException("projector returned null for position " + event.position()));
        }).compose(v -> writer.flush());
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
      stage(new Key(collection, id), doc.copy());
      return Future.succeededFuture();
    }

    /** As the default, with one copy of a document already staged in this page instead of two. */
    @Override
    public Future<Void> update(String collection, String id, UnaryOperator<JsonObject> change) {
      Key key = new Key(collection, id);
      Pending p = pending.get(key);
      Future<Optional<JsonObject>> current = p == null ? PgDocumentStore.get(tx, collection, id)
          : Future.succeededFuture(p.doc == null ? Optional.empty() : Optional.of(p.doc.copy()));
      return current.compose(found -> {
        JsonObject given = found.orElse(null);
        JsonObject next = change.apply(given);
        if (next != null) {
          // the copy handed to the change is this writer's own; anything else the caller may still hold
          stage(key, next == given ? next : next.copy());
        }
        return Future.<Void>succeededFuture();
      });
    }

    private void stage(Key key, JsonObject doc) {
      Pending before = pending.get(key);
      boolean recreated = before != null && before.doc == null;
      long seq = before == null || recreated ? position : before.seq;
      pending.put(key, new Pending(doc, seq, before != null && before.deleteFirst || recreated));
    }

    @Override
    public Future<Void> delete(String collection, String id) {
      pending.put(new Key(collection, id), new Pending(null, 0, true));
      return Future.succeededFuture();
    }

    /** Deletes, then upserts, the page's documents: at most two statements whatever the page's size. */
    Future<Void> flush() {
      Rows deletes = new Rows(pending.size());
      Rows upserts = new Rows(pending.size());
      pending.forEach((key, p) -> {
        if (p.deleteFirst) {
          deletes.add(key, 0, null);
        }
        if (p.doc != null) {
          upserts.add(key, p.seq, p.doc.encode());
        }
      });
      Future<Void> deleted = deletes.size == 0 ? Future.succeededFuture()
          : tx.preparedQuery(DELETE).execute(Tuple.tuple().addValue(deletes.collections()).addValue(deletes.ids())).mapEmpty();
      return deleted.compose(v -> upserts.size == 0 ? Future.succeededFuture()
          : tx.preparedQuery(PUT).execute(Tuple.tuple().addValue(upserts.collections()).addValue(upserts.ids())
              .addValue(upserts.seqs()).addValue(upserts.docs()))
              .mapEmpty());
    }
  }

  /** Rows of one statement, column by column, as the arrays {@code unnest} takes. */
  private static final class Rows {
    private final String[] collections;
    private final String[] ids;
    private final Long[] seqs;
    private final String[] docs;
    int size;

    Rows(int capacity) {
      collections = new String[capacity];
      ids = new String[capacity];
      seqs = new Long[capacity];
      docs = new String[capacity];
    }

    void add(Key key, long seq, String doc) {
      collections[size] = key.collection;
      ids[size] = key.id;
      seqs[size] = seq;
      docs[size] = doc;
      size++;
    }

    String[] collections() {
      return java.util.Arrays.copyOf(collections, size);
    }

    String[] ids() {
      return java.util.Arrays.copyOf(ids, size);
    }

    Long[] seqs() {
      return java.util.Arrays.copyOf(seqs, size);
    }

    String[] docs() {
      return java.util.Arrays.copyOf(docs, size);
    }
  }

  private record Key(String collection, String id) {
  }

  /** A document's state at the end of the page so far: {@code doc == null} means deleted. */
  private record Pending(JsonObject doc, long seq, boolean deleteFirst) {
  }
}
