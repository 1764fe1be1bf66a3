package io.herald.store;

import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;

@DisplayName("In-memory event store")
class InMemoryEventStoreTest extends EventStoreContract {

  @Override
  protected EventStore openStore(Vertx vertx) {
    return new InMemoryEventStore(vertx);
  }
}
