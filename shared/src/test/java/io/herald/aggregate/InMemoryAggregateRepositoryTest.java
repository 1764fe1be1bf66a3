package io.herald.aggregate;

import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Aggregate repository on the in-memory store")
class InMemoryAggregateRepositoryTest extends AggregateRepositoryContract {

  @Override
  protected EventStore openStore(Vertx vertx) {
    return new InMemoryEventStore(vertx);
  }
}
