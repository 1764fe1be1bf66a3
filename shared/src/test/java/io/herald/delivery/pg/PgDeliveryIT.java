package io.herald.delivery.pg;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.recorded;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.RawMessage;
import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.delivery.Consumers;
import io.herald.delivery.DeadLetter;
import io.herald.delivery.RetryPolicy;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Dead letters and the inbox on PostgreSQL")
class PgDeliveryIT {

  private final FreshSchema schema = new FreshSchema("delivery_it");
  private Vertx vertx;
  private PgEventStore store;
  private Pool pool;
  private EventBusBroker broker;

  @BeforeAll
  void setUp() {
    vertx = Vertx.vertx();
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    store = (PgEventStore) schema.connect(vertx, BlueprintEvents.registry());
    pool = store.pool();
    Futures.await(pool.query("CREATE TABLE ledger (order_id text NOT NULL, amount numeric NOT NULL)").execute());
    Futures.await(pool.query("CREATE TABLE fenced_effects (seq bigserial, order_id text NOT NULL, note text NOT NULL)")
        .execute());
    broker = new EventBusBroker(vertx, EventBusBrokerOptions.defaults(), BlueprintEvents.registry());
    Futures.await(broker.start());
  }

  @AfterAll
  void tearDown() {
    Futures.await(broker.close());
    Futures.await(store.close());
    Futures.await(vertx.close());
    schema.drop();
  }

  @Test
  @DisplayName("a dead letter keeps payload bytes, text, headers and times; the same message failing again updates it")
  void deadLettersRoundTrip() {
    PgDeadLetterStore letters = new PgDeadLetterStore(pool);
    String consumer = "c-" + UUID.randomUUID();
    Instant first = Instant.now().truncatedTo(ChronoUnit.MICROS);
    UUID id = UUID.randomUUID();
    RawMessage junk = new RawMessage(Buffer.buffer(new byte[] {(byte) 0xff, 0x00, 0x41}), Map.of("ce_type", "order.paid"),
        "events.order[1]@7");
    DeadLetter letter = new DeadLetter(id, 0, consumer, "kafka 127.0.0.1:9092", junk, null, null, null, 0, 0,
        "not a JSON object", first, first, 0);

    DeadLetter stored = Futures.await(letters.add(letter));
    DeadLetter again = Futures.await(letters.add(new DeadLetter(id, 0, consumer, "kafka 127.0.0.1:9092", junk, null, null,
        null, 0, 2, "still not JSON", first.plusSeconds(5), first.plusSeconds(5), 0)));

    assertThat(stored.seq()).isPositive();
    assertThat(again.seq()).isEqualTo(stored.seq());
    DeadLetter read = Futures.await(letters.get(id)).orElseThrow();
    assertThat(read.message().payload().getBytes()).containsExactly((byte) 0xff, 0x00, 0x41);
    assertThat(read.message().payloadText()).isNull();
    assertThat(read.toJson().getString("payloadBase64")).isEqualTo("/wBB");
    assertThat(read.message().headers()).containsEntry("ce_type", "order.paid");
    assertThat(read.message().destination()).isEqualTo("events.order[1]@7");
    assertThat(read.attempts()).isEqualTo(2);
    assertThat(read.lastError()).isEqualTo("still not JSON");
    assertThat(read.firstFailedAt()).isEqualTo(first);
    assertThat(read.lastFailedAt()).isEqualTo(first.plusSeconds(5));
    assertThat(Futures.await(letters.list(consumer, 0, 10))).extracting(DeadLetter::id).containsExactly(id);
    assertThat(Futures.await(letters.list(consumer, stored.seq(), 10))).isEmpty();
    assertThat(Futures.await(letters.redriveFailed(id, "failed again"))).get().extracting(DeadLetter::redrives).isEqualTo(1);
    assertThat(Futures.await(letters.delete(id))).isTrue();
    assertThat(Futures.await(letters.delete(id))).isFalse();
  }

  @Test
  @DisplayName("effectively once: a repeated delivery does not book twice, and a failed effect leaves no inbox row")
  void inboxCommitsWithTheEffect() {
    PgInbox inbox = new PgInbox(pool);
    PgDeadLetterStore letters = new PgDeadLetterStore(pool);
    String group = "ledger-" + UUID.randomUUID();
    String orderId = "o-" + UUID.randomUUID();
    AtomicInteger failuresLeft = new AtomicInteger(1);
    AtomicInteger calls = new AtomicInteger();
    Consumers consumers = new Consumers(vertx, broker, letters, new RetryPolicy(5, 10, 40));
    Futures.await(consumers.effectivelyOnce(group, List.of("order.paid"), inbox, (event, tx) -> {
      if (!event.streamId().equals(orderId)) {
        return Future.succeededFuture();
      }
      calls.incrementAndGet();
      return tx.preparedQuery("INSERT INTO ledger (order_id, amount) VALUES ($1, 12.50)").execute(Tuple.of(orderId))
          .compose(written -> failuresLeft.getAndDecrement() > 0
              ? Future.failedFuture(new IllegalStateException("crashed after writing")) // rolls back the row
              : Future.succeededFuture());
    }));
    RecordedEvent paid = recorded(1, orderId, orderPaid(orderId));

    Futures.await(broker.publish(paid));
    Futures.await(broker.publish(paid)); // the broker delivering it again, as after a lost ack
    Futures.await(broker.publish(recorded(2, orderId, orderShipped(orderId))));
    awaitUntil("both deliveries of the event are settled", () -> calls.get() >= 2
        && Boolean.TRUE.equals(Futures.await(inbox.handled(group, paid.envelope().id()))));
    io.herald.broker.TestEvents.pause(300);

    long booked = Futures.await(pool.preparedQuery("SELECT count(*) FROM ledger WHERE order_id = $1")
        .execute(Tuple.of(orderId))).iterator().next().getLong(0);
    assertThat(booked).as("ledger rows for the order").isEqualTo(1);
    assertThat(calls).as("the failed try, the successful retry; the repeat is skipped").hasValue(2);
    assertThat(Futures.await(letters.list(group, 0, 10))).isEmpty();
  }

  @Test
  @DisplayName("two members handling one event at once (one lost its lease mid-handler): the second waits for the"
      + " first's transaction and sees a repeat, and the stream's next event takes effect after it")
  void concurrentDeliveriesOfOneEventTakeEffectOnceInOrder() {
    PgInbox inbox = new PgInbox(pool);
    String consumer = "fenced-" + UUID.randomUUID();
    String orderId = "o-" + UUID.randomUUID();
    RecordedEvent paid = recorded(1, orderId, orderPaid(orderId));
    RecordedEvent shipped = recorded(2, orderId, orderShipped(orderId));
    io.vertx.core.Promise<Void> release = io.vertx.core.Promise.promise();
    io.vertx.core.Promise<Void> inside = io.vertx.core.Promise.promise();

    // the member that lost its lease: its handler is still inside its transaction
    Future<Boolean> stale = inbox.handleOnce(consumer, paid, tx -> {
      inside.complete();
      return release.future().compose(v -> book(tx, orderId, "paid by the stale member"));
    });
    Futures.await(inside.future());
    // the member that took over gets the same event again, then the stream's next one
    Future<Boolean> taker = inbox.handleOnce(consumer, paid, tx -> book(tx, orderId, "paid by the new member"))
        .compose(first -> inbox.handleOnce(consumer, shipped, tx -> book(tx, orderId, "shipped")).map(first));
    Futures.await(vertx.timer(300));
    assertThat(taker.isComplete()).as("the repeat went on while the first handler's transaction was open").isFalse();

    release.complete();
    assertThat(Futures.await(stale)).as("the stale member's effect").isTrue();
    assertThat(Futures.await(taker)).as("the new member's effect of the same event").isFalse();
    List<String> effects = Futures.await(pool.preparedQuery(
            "SELECT note FROM fenced_effects WHERE order_id = $1 ORDER BY seq").execute(Tuple.of(orderId)))
        .stream().map(row -> row.getString(0)).toList();
    assertThat(effects).containsExactly("paid by the stale member", "shipped");
  }

  private static Future<Void> book(io.vertx.sqlclient.SqlConnection tx, String orderId, String note) {
    return tx.preparedQuery("INSERT INTO fenced_effects (order_id, note) VALUES ($1, $2)")
        .execute(Tuple.of(orderId, note)).mapEmpty();
  }

  @Test
  @DisplayName("a dead letter the dead_letters table refuses stays unacked and is written again with backoff; once the table takes it, it is kept and the stream goes on")
  void refusedDeadLetterRowIsWrittenAgain() {
    String group = "keeper-" + UUID.randomUUID();
    String stream = "o-" + UUID.randomUUID();
    // refuses every dead letter while dl_blocked has a row; the sequence counts refusals (it is not rolled back)
    Futures.await(pool.query("""
        CREATE TABLE dl_blocked (reason text);
        INSERT INTO dl_blocked VALUES ('disk full');
        CREATE SEQUENCE dl_refusals;
        CREATE FUNCTION dl_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF EXISTS (SELECT 1 FROM dl_blocked) THEN
            PERFORM nextval('dl_refusals');
            RAISE EXCEPTION 'dead letters are blocked';
          END IF;
          RETURN NEW;
        END $$;
        CREATE TRIGGER dl_refuse BEFORE INSERT OR UPDATE ON dead_letters FOR EACH ROW EXECUTE FUNCTION dl_refuse();
        """).execute());
    try {
      PgDeadLetterStore letters = new PgDeadLetterStore(pool);
      List<Long> handled = new java.util.concurrent.CopyOnWriteArrayList<>();
      AtomicInteger doomedCalls = new AtomicInteger();
      Consumers consumers = new Consumers(vertx, broker, letters, new RetryPolicy(2, 10, 200));
      Futures.await(consumers.atLeastOnce(group, List.of("order.*"), event -> {
        if (!event.streamId().startsWith(stream)) {
          return Future.succeededFuture();
        }
        if (event.position() == 1) {
          doomedCalls.incrementAndGet();
          return Future.failedFuture(new IllegalStateException("ledger rejected it"));
        }
        handled.add(event.position());
        return Future.succeededFuture();
      }));
      RecordedEvent doomed = recorded(1, stream, orderPaid(stream));

      Futures.await(broker.publish(doomed));
      Futures.await(broker.publish(recorded(2, stream, orderShipped(stream))));
      Futures.await(broker.publish(recorded(3, stream + "-other", orderPaid(stream + "-other"))));
      awaitUntil("another stream is handled meanwhile", () -> handled.contains(3L));
      awaitUntil("the dead letter was refused three times", () -> Futures.await(pool.query(
          "SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM dl_refusals").execute()).iterator().next().getLong(0) >= 3);

      assertThat(handled).as("the stream of the unkept message waits").doesNotContain(2L);
      assertThat(Futures.await(letters.list(group, 0, 10))).isEmpty();
      assertThat(broker.deadLetters(group)).as("not moved by the broker either").isEmpty();

      Futures.await(pool.query("DELETE FROM dl_blocked").execute());
      awaitUntil("the next event of the stream is handled", () -> handled.contains(2L));
      List<DeadLetter> kept = Futures.await(letters.list(group, 0, 10));
      assertThat(kept).extracting(DeadLetter::eventId).containsExactly(doomed.envelope().id());
      assertThat(kept.get(0).lastError()).isEqualTo("ledger rejected it");
      assertThat(broker.deadLetters(group)).hasSize(1);
      assertThat(doomedCalls).as("the write is what is tried again, not the handler").hasValue(2);
    } finally {
      Futures.await(pool.query("DROP TRIGGER dl_refuse ON dead_letters; DROP FUNCTION dl_refuse(); "
          + "DROP SEQUENCE dl_refusals; DROP TABLE dl_blocked").execute());
    }
  }
}
