package io.herald.api;

import io.herald.store.pg.FreshSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The choreographed saga on a PostgreSQL node: its record kept by a projection in the {@code sagas} table. */
@DisplayName("The choreographed saga on a PostgreSQL node")
class ChoreographedPostgresSagaIT extends SagaFlowsContract {

  private final FreshSchema schema = new FreshSchema("saga_choreo_it");

  ChoreographedPostgresSagaIT() {
    super("choreography");
  }

  @Override
  protected List<String> profiles() {
    return List.of("postgres");
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("store.postgres.schema", schema.options().schema());
  }

  @Override
  protected void afterNode() {
    schema.drop();
  }
}
