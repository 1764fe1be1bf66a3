package io.herald.api;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The choreographed saga on an embedded node: the services react to each other's events, the record is a projection. */
@DisplayName("The choreographed saga on an embedded node")
class ChoreographedEmbeddedSagaIT extends SagaFlowsContract {

  ChoreographedEmbeddedSagaIT() {
    super("choreography");
  }

  @Override
  protected List<String> profiles() {
    return List.of();
  }

  @Override
  protected Map<String, String> settings() {
    return Map.of("store.type", "memory");
  }
}
