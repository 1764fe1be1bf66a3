package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.HeraldConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("What clustered mode refuses")
class ClusterRequirementsTest {

  private static HeraldConfig config(String store, String broker, boolean cluster) {
    return HeraldConfig.from(new JsonObject().put("store", new JsonObject().put("type", store))
        .put("broker", new JsonObject().put("type", broker)).put("cluster", new JsonObject().put("enabled", cluster)));
  }

  @Test
  @DisplayName("the memory store is refused, naming --profile postgres")
  void memoryStore() {
    assertThatThrownBy(() -> ClusterRequirements.check(config("memory", "kafka", true)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("clustered mode needs --profile postgres");
  }

  @Test
  @DisplayName("the event-bus broker is refused, naming the brokers to use")
  void eventBusBroker() {
    assertThatThrownBy(() -> ClusterRequirements.check(config("postgres", "eventbus", true)))
        .isInstanceOf(ConfigException.class).hasMessageContaining("kafka, rabbitmq, redis or nats");
  }

  @Test
  @DisplayName("PostgreSQL with a real broker is accepted, and without cluster mode nothing is refused")
  void accepted() {
    assertThatCode(() -> ClusterRequirements.check(config("postgres", "redis", true))).doesNotThrowAnyException();
    assertThatCode(() -> ClusterRequirements.check(config("memory", "eventbus", false))).doesNotThrowAnyException();
  }
}
