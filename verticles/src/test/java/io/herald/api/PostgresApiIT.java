package io.herald.api;

import io.herald.store.pg.FreshSchema;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/**
 * The API flows on the postgres profile: events, read models, checkpoints and idempotency keys in a real PostgreSQL
 * (127.0.0.1:5432, database {@code test}), in a schema of this class's own, dropped afterwards.
 */
@DisplayName("The API on a PostgreSQL node")
class PostgresApiIT extends ApiFlowsContract {

  private final FreshSchema schema = new FreshSchema("api_it");

  @Override
  protected List<String> profiles() {
    return List.of("postgres");
  }

  @Override
  protected Map<String, String> settings() {
    Map<String, String> settings = new java.util.HashMap<>(ApiNode.WITHOUT_SAGA);
    settings.put("store.type", "postgres");
    settings.put("store.postgres.schema", schema.options().schema());
    return settings;
  }

  @Override
  protected void afterNode() {
    schema.drop();
  }
}
