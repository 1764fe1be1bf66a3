package io.herald.examples;

import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.herald.store.AppendResult;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.EventStore;
import io.herald.store.Subscription;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The PostgreSQL store from your own code: append with a version check, then follow the store (docs/event-store.md). */
public final class PgStoreExample {

  private static final Logger log = LoggerFactory.getLogger(PgStoreExample.class);

  /** What {@link #project} received, in delivery order. */
  final List<RecordedEvent> projected = new CopyOnWriteArrayList<>();
  PgEventStore store;
  Future<AppendResult> stored;
  Subscription reader;

  /** Connects to {@code schema} (created and migrated if missing), stores the order and follows the store from 1. */
  void run(Vertx vertx, String schema, String orderId, OrderCreated orderCreated) {
    // doc:store-pg
    EventFactory events = new EventFactory(BlueprintEvents.registry(), "/shop/orders");
    PgEventStore store = PgEventStore.connect(vertx, PgStoreOptions.defaults().withSchema(schema), events.registry())
        .await();   // on a non-Vert.x thread; on an event loop, compose instead

    Future<AppendResult> stored = store.append(orderId, EventStore.NO_STREAM, List.of(events.create(orderCreated)))
        .recover(err -> err instanceof ConcurrencyConflictException c
            ? Future.failedFuture(orderId + " moved on to version " + c.actualVersion())
            : Future.failedFuture(err))
        .onSuccess(r -> log.info("stored at positions {}..{}", r.firstPosition(), r.lastPosition()));

    long checkpoint = 0;   // where this reader stopped last time
    Subscription reader = store.subscribe(checkpoint + 1, event -> project(event));   // catch-up, then live
    // end:store-pg
    this.store = store;
    this.stored = stored;
    this.reader = reader;
  }

  private Future<Void> project(RecordedEvent event) {
    projected.add(event);
    return Future.succeededFuture();
  }
}
