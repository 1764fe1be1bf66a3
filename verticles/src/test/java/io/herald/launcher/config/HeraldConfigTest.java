package io.herald.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.service.config.SagaMode;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("Typed configuration")
class HeraldConfigTest {

  private static JsonObject json(String key, Object value) {
    JsonObject root = new JsonObject();
    JsonObject node = root;
    String[] parts = key.split("\\.");
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject child = new JsonObject();
      node.put(parts[i], child);
      node = child;
    }
    node.put(parts[parts.length - 1], value);
    return root;
  }

  @Test
  @DisplayName("an empty object reads as the documented defaults")
  void defaults() {
    HeraldConfig config = HeraldConfig.from(new JsonObject());

    assertThat(config.store().type()).isEqualTo(StoreType.MEMORY);
    assertThat(config.store().postgres()).isEqualTo(PgStoreOptions.defaults());
    assertThat(config.broker().type()).isEqualTo(BrokerType.EVENTBUS);
    assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 8080, 2));
    assertThat(config.saga().mode()).isEqualTo(SagaMode.ORCHESTRATION);
    assertThat(config.log().format()).isEqualTo(LogFormat.TEXT);
    assertThat(config.services().isAll()).isTrue();
    assertThat(config.shutdownTimeoutMs()).isEqualTo(10_000);
  }

  @Test
  @DisplayName("numbers given as strings, as environment variables give them, are accepted")
  void numericStrings() {
    HeraldConfig config = HeraldConfig.from(json("store.postgres.pollIntervalMs", "250").mergeIn(json("http.port", "0")));

    assertThat(config.store().postgres().pollIntervalMs()).isEqualTo(250);
    assertThat(config.http().port()).isZero();
  }

  @Test
  @DisplayName("services are read from a comma-separated string or a list, and 'all' means every service")
  void services() {
    assertThat(HeraldConfig.from(json("services", "gateway, relay")).services().names()).containsExactly("gateway", "relay");
    assertThat(HeraldConfig.from(json("services", new JsonArray().add("relay"))).services().names()).containsExactly("relay");
    assertThat(HeraldConfig.from(json("services", "all")).services().isAll()).isTrue();
  }

  @Test
  @DisplayName("out-of-range, ill-typed and disallowed values name the key")
  void rejectedValues() {
    assertThatThrownBy(() -> HeraldConfig.from(json("http.port", 70_000)))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'http.port' must be between 0 and 65535, got 70000");
    assertThatThrownBy(() -> HeraldConfig.from(json("http.port", 80.5)))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'http.port' must be an integer, got 80.5");
    assertThatThrownBy(() -> HeraldConfig.from(json("store.postgres.poolSize", 0)))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("config key 'store.postgres.poolSize' must be between 1 and ");
    assertThatThrownBy(() -> HeraldConfig.from(json("store.type", "mongo")))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'store.type' must be one of memory, postgres, got 'mongo'");
    assertThatThrownBy(() -> HeraldConfig.from(json("log.format", "xml")))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'log.format' must be one of text, json, got 'xml'");
    assertThatThrownBy(() -> HeraldConfig.from(json("store.postgres.schema", "Bad-Name")))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("config key 'store.postgres.schema' must be a lower-case identifier");
    assertThatThrownBy(() -> HeraldConfig.from(json("http.host", " ")))
        .isInstanceOf(ConfigException.class).hasMessage("config key 'http.host' must not be empty");
  }

  @Test
  @DisplayName("a key without a known outcome holds for api.idempotencyStaleMs, a minute by default and never less than the command timeout")
  void idempotencyStaleTime() {
    assertThat(HeraldConfig.from(new JsonObject()).api().idempotencyStaleMs()).isEqualTo(60_000);
    assertThat(HeraldConfig.from(json("api.commandTimeoutMs", 90_000)).api().idempotencyStaleMs()).isEqualTo(90_000);
    assertThat(HeraldConfig.from(json("api.idempotencyStaleMs", 8_000)).api().idempotencyStaleMs()).isEqualTo(8_000);
    assertThatThrownBy(() -> HeraldConfig.from(json("api.idempotencyStaleMs", 1_000)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'api.idempotencyStaleMs' must be at least api.commandTimeoutMs (5000 ms), got 1000");
  }

  @Test
  @DisplayName("the mode is embedded only when both the store and the broker stay in the process")
  void mode() {
    assertThat(HeraldConfig.from(new JsonObject()).mode()).isEqualTo("embedded");
    assertThat(HeraldConfig.from(json("store.type", "postgres")).mode()).isEqualTo("postgres");
    assertThat(HeraldConfig.from(json("broker.type", "kafka")).mode()).isEqualTo("memory+kafka");
  }

  @Test
  @DisplayName("auth is on by default with no key; a short secret is refused without showing it; the write rate is read")
  void auth() {
    HeraldConfig defaults = HeraldConfig.from(new JsonObject());
    assertThat(defaults.auth()).isEqualTo(io.herald.gateway.auth.AuthOptions.defaults());
    assertThat(defaults.auth().enabled()).isTrue();
    assertThat(defaults.auth().hasKey()).isFalse();
    assertThat(defaults.api().writeRateLimitPerSecond()).isEqualTo(1_000);
    assertThat(defaults.api().writeRateLimitBurst()).isEqualTo(2_000);

    assertThatThrownBy(() -> HeraldConfig.from(json("auth.secret", "short-secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config key 'auth.secret' must be at least 32 characters long (an HMAC-SHA256 key), or empty");
    HeraldConfig configured = HeraldConfig.from(json("auth.secret", "a-secret-of-at-least-32-characters-0123"));
    assertThat(configured.auth().hasKey()).isTrue();
    assertThat(configured.auth().toString()).doesNotContain("a-secret-of-at-least-32-characters-0123").contains("secret=(set)");
    assertThat(HeraldConfig.from(json("auth.enabled", "false")).auth().enabled()).isFalse();
    assertThat(HeraldConfig.from(json("auth.publicKeys", "a.pem, b.pem")).auth().publicKeys()).containsExactly("a.pem", "b.pem");
  }
}
