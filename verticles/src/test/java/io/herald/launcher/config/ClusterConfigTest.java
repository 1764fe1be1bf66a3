package io.herald.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.event.WireDataFormat;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("Cluster configuration (cluster.*)")
class ClusterConfigTest {

  private static ClusterConfig cluster(JsonObject section) {
    return HeraldConfig.from(new JsonObject().put("cluster", section)).cluster();
  }

  @Test
  @DisplayName("defaults: off, one loopback member, loopback bind, port 5701, any event-bus port, name herald, binary data")
  void defaults() {
    ClusterConfig config = HeraldConfig.from(new JsonObject()).cluster();

    assertThat(config).isEqualTo(new ClusterConfig(false, List.of("127.0.0.1"), "127.0.0.1", 5701, 0, "herald",
        WireDataFormat.BINARY));
    assertThat(config.enable().enabled()).isTrue();
  }

  @Test
  @DisplayName("values as environment variables give them: strings for the flag, ports and a comma-separated member list")
  void fromStrings() {
    ClusterConfig config = cluster(new JsonObject().put("enabled", "true").put("members", "127.0.0.1:5701, 127.0.0.1:5702,[::1]:5703")
        .put("host", "127.0.0.2").put("port", "5801").put("eventBusPort", "17001").put("name", "prod").put("wireData", "JSON"));

    assertThat(config).isEqualTo(new ClusterConfig(true, List.of("127.0.0.1:5701", "127.0.0.1:5702", "[::1]:5703"),
        "127.0.0.2", 5801, 17001, "prod", WireDataFormat.JSON));
  }

  @Test
  @DisplayName("a bad value is an error naming the key and the value")
  void errors() {
    assertThatThrownBy(() -> cluster(new JsonObject().put("enabled", "yes")))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'cluster.enabled' must be true or false, got 'yes'");
    assertThatThrownBy(() -> cluster(new JsonObject().put("members", "127.0.0.1:57o1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("cluster.members").hasMessageContaining("'127.0.0.1:57o1'");
    assertThatThrownBy(() -> cluster(new JsonObject().put("members", "127.0.0.1:70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("port 1-65535");
    assertThatThrownBy(() -> cluster(new JsonObject().put("members", " , ")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("'cluster.members' must name at least one member");
    assertThatThrownBy(() -> cluster(new JsonObject().put("port", 0)))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'cluster.port' must be between 1 and 65535, got 0");
    assertThatThrownBy(() -> cluster(new JsonObject().put("wireData", "xml")))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'cluster.wireData' must be one of binary, json, got 'xml'");
  }
}
