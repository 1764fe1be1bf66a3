package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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

  @Test
  @DisplayName("readiness reports the saga starter, up with the position it has handled")
  void starterInReadiness() {
    JsonObject starter = api.get("/health/ready").bodyAsJsonObject().getJsonArray("checks").stream()
        .map(JsonObject.class::cast).filter(c -> "saga-starter".equals(c.getString("name"))).findFirst().orElseThrow();
    assertThat(starter.getString("status")).isEqualTo("UP");
    assertThat(starter.getLong("position")).isNotNull();
  }
}
