package io.herald.examples;

import io.herald.event.EventFactory;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;

/** The library in a few lines, on the embedded store (docs/getting-started.md). */
public final class InMemoryStoreExample {

  private InMemoryStoreExample() {
  }

  /** @return the cart's stream as read back after the append */
  public static Future<List<RecordedEvent>> run(Vertx vertx) {
    // doc:library-quick-start
    EventRegistry registry = EventRegistry.builder().register(CartCheckedOut.class).build();
    EventFactory events = new EventFactory(registry, "/shop/carts");
    EventStore store = new InMemoryEventStore(vertx);   // the embedded store; PgEventStore has the same interface

    return store.append("cart-7", EventStore.NO_STREAM,
            List.of(events.create(new CartCheckedOut("cart-7", "usr-1", new BigDecimal("19.90")))))
        .compose(appended -> store.readStream("cart-7", 1));
    // end:library-quick-start
  }
}
