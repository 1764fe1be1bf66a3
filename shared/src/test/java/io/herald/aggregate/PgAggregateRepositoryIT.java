package io.herald.aggregate;

import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Aggregate repository on PostgreSQL")
class PgAggregateRepositoryIT extends AggregateRepositoryContract {

  private final FreshSchema schema = new FreshSchema("aggregate_it");

  @Override
  protected EventStore openStore(Vertx vertx) {
    return schema.connect(vertx, REGISTRY);
  }

  @AfterAll
  void dropSchema() {
    schema.drop();
  }
}
