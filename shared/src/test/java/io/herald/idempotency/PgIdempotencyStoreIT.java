package io.herald.idempotency;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.herald.store.pg.PgTestDatabase;
import org.junit.jupiter.api.DisplayName;

@DisplayName("PostgreSQL idempotency keys")
class PgIdempotencyStoreIT extends IdempotencyStoreContract {

  private PgStoreOptions options;
  private PgEventStore eventStore;

  @Override
  protected void open() {
    options = PgTestDatabase.freshSchema("idempotency_it");
    eventStore = await(PgEventStore.connect(vertx, options, BlueprintEvents.registry()));
  }

  @Override
  protected void close() {
    await(eventStore.close());
    PgTestDatabase.drop(vertx, options);
  }

  @Override
  protected IdempotencyStore store(long ttlMs) {
    return new PgIdempotencyStore(eventStore.pool(), ttlMs);
  }

  @Override
  protected void elapse(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }
}
