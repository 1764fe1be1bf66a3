package io.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Redis broker options")
class RedisBrokerOptionsTest {

  @Test
  @DisplayName("absent keys take the documented defaults")
  void defaults() {
    RedisBrokerOptions options = RedisBrokerOptions.fromJson(new JsonObject());

    assertThat(options).isEqualTo(RedisBrokerOptions.defaults());
    assertThat(options.connectionString()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(options.namespace()).isEqualTo("events");
    assertThat(options.protocol()).isEqualTo("resp3");
    assertThat(options.maxLen()).isZero();
    assertThat(options.publishBatchSize()).isEqualTo(500);
    assertThat(options.publishPipeline()).isEqualTo(8);
    assertThat(options.readCount()).isEqualTo(100);
    assertThat(options.blockMs()).isEqualTo(2_000);
    assertThat(options.maxBufferedPerMember()).isEqualTo(1_000);
    assertThat(options.maxInFlightPerMember()).isEqualTo(32);
    assertThat(options.redeliveryBaseMs()).isEqualTo(100);
    assertThat(options.redeliveryCapMs()).isEqualTo(10_000);
    assertThat(options.leaseMs()).isEqualTo(10_000);
    assertThat(options.claimMinIdleMs()).isEqualTo(60_000);
    assertThat(options.discoveryIntervalMs()).isEqualTo(2_000);
    assertThat(options.requestTimeoutMs()).isEqualTo(5_000);
    assertThat(options.reconnectBaseMs()).isEqualTo(100);
    assertThat(options.reconnectCapMs()).isEqualTo(5_000);
    assertThat(options.handBackTimeoutMs()).isEqualTo(30_000);
  }

  @Test
  @DisplayName("toJson and fromJson round-trip every key; numbers may come as text from env or -D overrides")
  void roundTrip() {
    RedisBrokerOptions options = RedisBrokerOptions.fromJson(new JsonObject()
        .put("namespace", "shop").put("protocol", "resp2").put("maxLen", "100000").put("leaseMs", 4_000)
        .put("connectionString", "redis://10.0.0.5:6380"));

    assertThat(RedisBrokerOptions.fromJson(options.toJson())).isEqualTo(options);
    assertThat(options.toJson().fieldNames()).hasSize(19);
    assertThat(options.maxLen()).isEqualTo(100_000);
    assertThat(options.withNamespace("other").namespace()).isEqualTo("other");
    assertThat(options.withAddress("127.0.0.1", 7000).connectionString()).isEqualTo("redis://127.0.0.1:7000");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "connectionString | http://127.0.0.1:6379",
      "namespace        | ' '",
      "namespace        | 'ev*'",
      "protocol         | resp4",
      "maxLen           | -1",
      "publishBatchSize | 0",
      "publishPipeline  | 0",
      "readCount        | 0",
      "blockMs          | 0",
      "maxBufferedPerMember | 0",
      "maxInFlightPerMember | 0",
      "redeliveryBaseMs | 0",
      "redeliveryCapMs  | 50",
      "leaseMs          | 100",
      "claimMinIdleMs   | 10000",
      "discoveryIntervalMs | 0",
      "requestTimeoutMs | 0",
      "reconnectBaseMs  | 0",
      "reconnectCapMs   | 10",
      "readCount        | abc",
      "publishBatchSize | 3000000000",
  })
  @DisplayName("an invalid value is refused with a message naming its key")
  void invalidValuesNameTheirKey(String key, String value) {
    JsonObject json = new JsonObject().put(key, value.matches("-?\\d+") ? (Object) Long.parseLong(value) : value);

    assertThatThrownBy(() -> RedisBrokerOptions.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("broker.redis." + key);
  }

  @Test
  @DisplayName("a value of the wrong JSON type names its key")
  void wrongType() {
    assertThatThrownBy(() -> RedisBrokerOptions.fromJson(new JsonObject().put("namespace", 5)))
        .hasMessageContaining("broker.redis.namespace");
    assertThatThrownBy(() -> RedisBrokerOptions.fromJson(new JsonObject().put("blockMs", 1.5)))
        .hasMessageContaining("broker.redis.blockMs");
  }
}
