package io.herald.projection;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Projections on PostgreSQL")
class PgProjectionRunnerIT extends ProjectionRunnerContract {

  private final FreshSchema schema = new FreshSchema("projection_it");

  @Override
  protected EventStore openStore(Vertx vertx) {
    return schema.connect(vertx, BlueprintEvents.registry());
  }

  @AfterAll
  void dropSchema() {
    schema.drop();
  }
}
