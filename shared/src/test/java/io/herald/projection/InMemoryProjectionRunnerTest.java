package io.herald.projection;

import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Projections on the in-memory store")
class InMemoryProjectionRunnerTest extends ProjectionRunnerContract {

  @Override
  protected EventStore openStore(Vertx vertx) {
    return new InMemoryEventStore(vertx);
  }
}
