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
}
