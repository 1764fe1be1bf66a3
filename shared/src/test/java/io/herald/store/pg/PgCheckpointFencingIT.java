package io.herald.store.pg;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.CheckpointFencingContract;
import io.herald.store.CheckpointStore;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("PostgreSQL checkpoint fencing")
class PgCheckpointFencingIT extends CheckpointFencingContract {

  private final FreshSchema schema = new FreshSchema("fencing_it");
  private Vertx vertx;
  private PgEventStore store;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    store = schema.connect(vertx, BlueprintEvents.registry());
  }

  @AfterAll
  void close() {
    Futures.await(store.close());
    Futures.await(vertx.close());
    schema.drop();
  }

  @Override
  protected CheckpointStore checkpoints() {
    return store.checkpoints();
  }
}
