package io.herald.projection.pg;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.DomainEvent;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.herald.projection.ProjectionOptions;
import io.herald.projection.ProjectionRunner;
import io.herald.projection.ProjectionState;
import io.herald.projection.document.DocumentProjector;
import io.herald.projection.document.DocumentQuery;
import io.herald.projection.document.DocumentStore;
import io.herald.projection.document.DocumentStoreContract;
import io.herald.store.AppendResult;
import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Documents on PostgreSQL")
class PgDocumentStoreIT extends DocumentStoreContract {

  private final FreshSchema schema = new FreshSchema("documents_it");

  @Override
  protected EventStore openStore(Vertx vertx) {
    return schema.connect(vertx, BlueprintEvents.registry());
  }

  @Override
  protected DocumentStore openDocuments(EventStore store) {
    return new PgDocumentStore(((PgEventStore) store).pool());
  }

  @AfterAll
  void dropSchema() {
    schema.drop();
  }

  private RowSet<Row> query(String sql, Tuple params) {
    return await(((PgEventStore) store).pool().preparedQuery(sql).execute(params));
  }

  @Test
  @DisplayName("a projector failing mid-event leaves none of that event's writes and does not move the checkpoint")
  void failureRollsBackWritesAndCheckpoint() {
    String prefix = unique();
    String collection = prefix + "orders";
    String name = prefix + "tx";
    String good = prefix + "good";
    String bad = prefix + "bad";
    AtomicBoolean wroteBeforeFailing = new AtomicBoolean();
    DocumentProjector projector = (writer, event) -> {
      if (!(event.data() instanceof OrderCreated o && o.orderId().startsWith(prefix))) {
        return Future.succeededFuture();
      }
      Future<Void> put = writer.put(collection, o.orderId(), new JsonObject().put("orderId", o.orderId()).put("touched", false));
      if (!o.orderId().equals(bad)) {
        return put;
      }
      // the bad event changes its own document, the good one and a third, then fails
      return put
          .compose(v -> writer.update(collection, good, doc -> doc.put("touched", true)))
          .compose(v -> writer.put(collection, bad + "-extra", new JsonObject().put("orderId", bad + "-extra")))
          .compose(v -> writer.get(collection, bad))
          .compose(own -> {
            wroteBeforeFailing.set(own.isPresent());
            return Future.failedFuture(new IllegalStateException("projector broke on " + bad));
          });
    };
    // the runner's own checkpoint saves are kept rare: the transactional ones are what is checked
    AppendResult written = append(order(good, prefix + "ada", 1), order(bad, prefix + "ada", 2));
    long goodAt = written.firstPosition();
    long badAt = written.lastPosition();
    assertThat(badAt).isEqualTo(goodAt + 1);

    ProjectionRunner runner = run(name, documents.projection(name, Set.of(collection), projector),
        new ProjectionOptions(100_000, 3_600_000));
    Futures.waitUntil(() -> runner.state() == ProjectionState.FAILED);
    String error = await(runner.status()).error();
    await(runner.stop());

    assertThat(error).isEqualTo("projector broke on " + bad);
    assertThat(wroteBeforeFailing).as("the bad event's writes were made, and visible inside its transaction").isTrue();
    assertThat(runner.checkpoint()).isEqualTo(goodAt);

    List<String> rows = new ArrayList<>();
    List<Object> docs = new ArrayList<>();
    for (Row row : query("SELECT id, seq, doc FROM documents WHERE collection = $1 ORDER BY seq, id", Tuple.of(collection))) {
      rows.add(row.getString("id") + "@" + row.getLong("seq"));
      docs.add(row.getValue("doc"));
    }
    assertThat(rows).containsExactly(good + "@" + goodAt);
    assertThat(docs).containsExactly(new JsonObject().put("orderId", good).put("touched", false));
    assertThat(await(documents.find(collection, DocumentQuery.all()))).hasSize(1);
    assertThat(await(documents.get(collection, bad))).isEmpty();

    RowSet<Row> checkpoint = query("SELECT position FROM checkpoints WHERE name = $1", Tuple.of(name));
    assertThat(checkpoint.size()).isEqualTo(1);
    assertThat(checkpoint.iterator().next().getLong("position")).isEqualTo(goodAt);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)   // a page that overflows the stack never completes
  @DisplayName("a page of 5,000 events that mostly change documents already read in it applies in one go")
  void longPageOfImmediateChanges() {
    String prefix = unique();
    String collection = prefix + "orders";
    String name = prefix + "long";
    int count = 5_000;
    List<DomainEvent> orders = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      orders.add(order(prefix + i, prefix + "ada", 1));
    }
    AppendResult written = append(orders.toArray(DomainEvent[]::new));
    List<RecordedEvent> page = await(store.readAll(written.firstPosition(), count)).events();
    assertThat(page).hasSize(count);
    // the first event reads through the transaction (an answer that comes later); every other one answers at once,
    // so the page's work must not pile up as a chain of futures waiting on that first answer
    DocumentProjector projector = (writer, event) -> {
      OrderCreated o = (OrderCreated) event.data();
      if (o.orderId().equals(prefix + 0)) {
        return writer.get(collection, o.orderId()).compose(none -> writer.put(collection, o.orderId(),
            new JsonObject().put("orderId", o.orderId())));
      }
      return writer.put(collection, o.orderId(), new JsonObject().put("orderId", o.orderId()));
    };

    await(documents.projection(name, Set.of(collection), projector).applyPage(page));

    assertThat(query("SELECT count(*) FROM documents WHERE collection = $1", Tuple.of(collection))
        .iterator().next().getLong(0)).isEqualTo(count);
    assertThat(query("SELECT position FROM checkpoints WHERE name = $1", Tuple.of(name))
        .iterator().next().getLong(0)).isEqualTo(written.lastPosition());
  }

  @Test
  @DisplayName("a content index covers its collection alone, and a find's statement can use it in a plan made without its values")
  void contentIndexIsPartialAndPlannedWithoutValues() {
    String collection = unique() + "listed";
    String index = "documents_content_" + collection;
    await(documents.indexContent(collection));
    await(documents.indexContent(collection));    // again: nothing to do

    String schemaName = schema.options().schema();
    List<String> definitions = new ArrayList<>();
    for (Row row : query("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'documents'",
        Tuple.of(schemaName))) {
      definitions.add(row.getString("indexname") + ": " + row.getString("indexdef"));
    }
    assertThat(definitions).as("V15 dropped the index over every collection")
        .noneMatch(d -> d.startsWith("documents_by_content:"));
    assertThat(definitions).filteredOn(d -> d.startsWith(index + ":")).singleElement().asString()
        .contains("USING gin (doc jsonb_path_ops)", "WHERE (collection = '" + collection + "'::text)");

    // enough documents that reading the whole collection costs more than the index
    query("INSERT INTO documents (collection, id, seq, doc) SELECT $1, 'd' || g, g,"
        + " jsonb_build_object('userId', 'u' || g, 'status', 'created') FROM generate_series(1, 2000) g", Tuple.of(collection));
    await(((PgEventStore) store).pool().query("ANALYZE documents").execute());
    DocumentQuery byUser = DocumentQuery.all().where("userId", "u7").limit(10);
    assertThat(genericPlan(FindStatement.of(collection, byUser))).contains(index);
    assertThat(genericPlan(FindStatement.of(collection + " (a name spelled as a parameter)", byUser)))
        .as("with the collection as a parameter the planner cannot prove the index's predicate").doesNotContain(index);
    assertThat(await(documents.find(collection, DocumentQuery.all().where("userId", "u7"))))
        .containsExactly(new JsonObject().put("userId", "u7").put("status", "created"));
    assertThat(await(documents.find(collection, DocumentQuery.all().limit(3)))).hasSize(3);
  }

  @Test
  @DisplayName("a field index covers one field of its collection alone, and a find matching that field can use it in a plan made without its values")
  void fieldIndexIsPartialAndPlannedWithoutValues() {
    String collection = unique() + "by-field";
    String index = DocumentIndexes.fieldIndexName(collection, "userId");
    await(documents.indexField(collection, "userId"));
    await(documents.indexField(collection, "userId"));    // again: nothing to do

    assertThat(query("SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = $2",
        Tuple.of(schema.options().schema(), index)).iterator().next().getString(0))
        .contains("((doc -> 'userId'::text))", "WHERE (collection = '" + collection + "'::text)");

    query("INSERT INTO documents (collection, id, seq, doc) SELECT $1, 'd' || g, g,"
        + " jsonb_build_object('userId', 'u' || g, 'rank', g % 7) FROM generate_series(1, 2000) g", Tuple.of(collection));
    await(((PgEventStore) store).pool().query("ANALYZE documents").execute());
    assertThat(genericPlan(FindStatement.of(collection, DocumentQuery.all().where("userId", "u7").limit(10))))
        .contains(index);
    assertThat(genericPlan(FindStatement.of(collection, DocumentQuery.all().where("rank", 3).limit(10))))
        .as("a field without an index").doesNotContain(index);
    assertThat(await(documents.find(collection, DocumentQuery.all().where("userId", "u7"))))
        .containsExactly(new JsonObject().put("userId", "u7").put("rank", 0));
    assertThat(await(documents.find(collection, DocumentQuery.all().where("userId", "u7").where("rank", 1)))).isEmpty();
    assertThat(await(documents.find(collection, DocumentQuery.all().where("rank", 3L).limit(2))))
        .containsExactly(new JsonObject().put("userId", "u3").put("rank", 3), new JsonObject().put("userId", "u10").put("rank", 3));
  }

  /**
   * The plan PostgreSQL may keep for a cached statement once it stops looking at the values, with the scans that read
   * the whole collection in order turned off: what is left is whether the content index can serve the statement.
   */
  private String genericPlan(FindStatement find) {
    // a generic plan does not depend on the values: nulls stand for them
    String args = String.join(", ", java.util.Collections.nCopies(find.args().size(), "NULL"));
    String name = "generic_find_" + java.util.UUID.randomUUID().toString().replace("-", "");
    return await(((PgEventStore) store).pool().withTransaction(tx -> tx.query("SET LOCAL plan_cache_mode = force_generic_plan").execute()
        .compose(v -> tx.query("SET LOCAL enable_seqscan = off").execute())
        .compose(v -> tx.query("SET LOCAL enable_indexscan = off").execute())
        .compose(v -> tx.query("PREPARE " + name + " AS " + find.sql()).execute())
        .compose(v -> tx.query("EXPLAIN EXECUTE " + name + "(" + args + ")").execute())
        .compose(plan -> tx.query("DEALLOCATE " + name).execute().map(v -> {
          StringBuilder text = new StringBuilder();
          plan.forEach(row -> text.append(row.getString(0)).append('\n'));
          return text.toString();
        }))));
  }

  @Test
  @DisplayName("nodes asking for the same content index at once all succeed, and one index is made")
  void concurrentContentIndexRequests() {
    String collection = unique() + "raced";
    List<Future<Void>> asks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      asks.add(new PgDocumentStore(((PgEventStore) store).pool()).indexContent(collection));
    }
    await(Future.all(asks));
    assertThat(query("SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND indexname = $2",
        Tuple.of(schema.options().schema(), "documents_content_" + collection)).iterator().next().getLong(0)).isEqualTo(1);
  }

  @Test
  @DisplayName("an index is refused, naming the problem, for a collection or field name it cannot spell in SQL")
  void indexesRefuseOddNames() {
    for (String name : new String[] {"it's", "with space", "x".repeat(41), ""}) {
      assertThat(Futures.failureOf(documents.indexContent(name)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 to 40 letters, digits, '_', '.' and '-'")
          .hasMessageContaining("'" + name + "'");
      assertThat(Futures.failureOf(documents.indexField(name, "userId")))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'" + name + "'");
    }
    assertThat(Futures.failureOf(documents.indexContent(null))).hasMessageContaining("was null");
    for (String field : new String[] {"user.id", "it's", "y".repeat(65), ""}) {
      assertThat(Futures.failureOf(documents.indexField("orders", field)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("a field index needs a field name of 1 to 64 letters, digits and '_', was '" + field + "'");
    }
  }
}
