package io.herald.api;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

/** The orchestrated saga on an embedded node. */
@DisplayName("The orchestrated saga on an embedded node")
class EmbeddedOrchestratedSagaIT extends SagaFlowsContract {

  EmbeddedOrchestratedSagaIT() {
    super("orchestration");
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
