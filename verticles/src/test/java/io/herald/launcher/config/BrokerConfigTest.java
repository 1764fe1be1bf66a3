package io.herald.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Broker sections read through the launcher")
class BrokerConfigTest {

  private static JsonObject nats(Object servers) {
    return new JsonObject().put("broker", new JsonObject().put("nats", new JsonObject().put("servers", servers)));
  }

  @Test
  @DisplayName("broker.nats.servers is read from a YAML list as from a comma-separated override")
  void natsServersAsListOrText() {
    assertThat(HeraldConfig.from(nats(new JsonArray().add("nats://a:1").add("nats://b:2"))).broker().nats().servers())
        .containsExactly("nats://a:1", "nats://b:2");
    assertThat(HeraldConfig.from(nats("nats://a:1, nats://b:2")).broker().nats().servers())
        .containsExactly("nats://a:1", "nats://b:2");
  }

  @Test
  @DisplayName("a bad value in a broker section names its full key")
  void badValueNamesTheKey() {
    JsonObject redis = new JsonObject().put("broker", new JsonObject().put("redis", new JsonObject().put("leaseMs", 5)));

    assertThatThrownBy(() -> HeraldConfig.from(redis)).isInstanceOf(ConfigException.class)
        .hasMessage("invalid broker.redis settings: broker.redis.leaseMs must be >= 300, was 5");
  }
}
