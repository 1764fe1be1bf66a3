package io.herald.idempotency;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.FreshSchema;
import org.junit.jupiter.api.DisplayName;

@DisplayName("PostgreSQL idempotency keys")
class PgIdempotencyStoreIT extends IdempotencyStoreContract {

  private final FreshSchema schema = new FreshSchema("idempotency_it");
  private PgEventStore eventStore;

  @Override
  protected void open() {
    eventStore = schema.connect(vertx, BlueprintEvents.registry());
  }

  @Override
  protected void close() {
    await(eventStore.close());
    schema.drop();
  }

  @Override
  protected IdempotencyStore store(long ttlMs, long staleMs) {
    return new PgIdempotencyStore(eventStore.pool(), ttlMs, staleMs);
  }

  @Override
  protected void elapse(long ms) throws InterruptedException {
    Thread.sleep(ms);
  }
}
