package io.herald.projection;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.herald.store.pg.PgTestDatabase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Projections on PostgreSQL")
class PgProjectionRunnerIT extends ProjectionRunnerContract {

  private PgStoreOptions options;

  @Override
  protected EventStore openStore(Vertx vertx) {
    options = PgTestDatabase.freshSchema("projection_it");
    return await(PgEventStore.connect(vertx, options, BlueprintEvents.registry()));
  }

  @AfterAll
  void dropSchema() {
    Vertx admin = Vertx.vertx();
    try {
      PgTestDatabase.drop(admin, options);
    } finally {
      admin.close().await();
    }
  }
}
