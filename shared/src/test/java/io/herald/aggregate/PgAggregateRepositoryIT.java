package io.herald.aggregate;

import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.herald.store.pg.PgTestDatabase;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Aggregate repository on PostgreSQL")
class PgAggregateRepositoryIT extends AggregateRepositoryContract {

  private PgStoreOptions options;

  @Override
  protected EventStore openStore(Vertx vertx) {
    options = PgTestDatabase.freshSchema("aggregate_it");
    return await(PgEventStore.connect(vertx, options, REGISTRY));
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
