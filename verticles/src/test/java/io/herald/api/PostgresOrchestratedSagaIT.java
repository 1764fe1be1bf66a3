package io.herald.api;

import io.herald.store.pg.FreshSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The orchestrated saga on a PostgreSQL node: sagas kept in the {@code sagas} table of a schema of its own. */
@DisplayName("The orchestrated saga on a PostgreSQL node")
class PostgresOrchestratedSagaIT extends SagaFlowsContract {

  private final FreshSchema schema = new FreshSchema("saga_orch_it");

  PostgresOrchestratedSagaIT() {
    super("orchestration");
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
