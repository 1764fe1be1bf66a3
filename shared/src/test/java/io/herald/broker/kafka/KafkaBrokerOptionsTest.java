package io.herald.broker.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Kafka broker options")
class KafkaBrokerOptionsTest {

  @Test
  @DisplayName("absent keys take their defaults")
  void defaults() {
    KafkaBrokerOptions options = KafkaBrokerOptions.fromJson(new JsonObject().put("partitions", 8));

    assertThat(options.partitions()).isEqualTo(8);
    assertThat(options.bootstrapServers()).isEqualTo("127.0.0.1:9092");
    assertThat(options.namespace()).isEqualTo("events");
    assertThat(options.replicationFactor()).isEqualTo(1);
    assertThat(options.publishTimeoutMs()).isEqualTo(KafkaBrokerOptions.DEFAULT_PUBLISH_TIMEOUT_MS);
    assertThat(options.maxBufferedPerMember()).isEqualTo(KafkaBrokerOptions.DEFAULT_MAX_BUFFERED_PER_MEMBER);
    assertThat(KafkaBrokerOptions.defaults().partitions()).isEqualTo(4);
  }

  @Test
  @DisplayName("toJson reads back to the same options, and numbers may come as strings (env overrides)")
  void roundTrip() {
    KafkaBrokerOptions options = KafkaBrokerOptions.fromJson(new JsonObject()
        .put("bootstrapServers", "k1:9092,k2:9092").put("namespace", "prod-eu").put("lingerMs", "0")
        .put("redeliveryBaseMs", 50).put("redeliveryCapMs", 60_000).put("maxInFlightPerMember", 8)
        .put("handBackTimeoutMs", 5_000));

    assertThat(KafkaBrokerOptions.fromJson(options.toJson())).isEqualTo(options);
    assertThat(options.lingerMs()).isZero();
    assertThat(options.toJson().fieldNames()).hasSize(14);
    assertThat(options.handBackTimeoutMs()).isEqualTo(5_000);
    assertThat(options.withNamespace("other").namespace()).isEqualTo("other");
  }

  @Test
  @DisplayName("invalid values are rejected with the key's full name")
  void validation() {
    assertInvalid(new JsonObject().put("partitions", 0), "broker.kafka.partitions");
    assertInvalid(new JsonObject().put("namespace", "Events.Prod"), "broker.kafka.namespace");
    assertInvalid(new JsonObject().put("namespace", ""), "broker.kafka.namespace");
    assertInvalid(new JsonObject().put("bootstrapServers", " "), "broker.kafka.bootstrapServers");
    assertInvalid(new JsonObject().put("publishTimeoutMs", "soon"), "broker.kafka.publishTimeoutMs");
    assertInvalid(new JsonObject().put("publishTimeoutMs", 5).put("lingerMs", 5), "broker.kafka.publishTimeoutMs");
    assertInvalid(new JsonObject().put("lingerMs", -1), "broker.kafka.lingerMs");
    assertInvalid(new JsonObject().put("redeliveryBaseMs", 100).put("redeliveryCapMs", 10), "broker.kafka.redeliveryCapMs");
    assertInvalid(new JsonObject().put("maxBufferedPerMember", 0), "broker.kafka.maxBufferedPerMember");
    assertInvalid(new JsonObject().put("maxInFlightPerMember", 1.5), "broker.kafka.maxInFlightPerMember");
    assertInvalid(new JsonObject().put("replicationFactor", 40_000), "broker.kafka.replicationFactor");
    assertInvalid(new JsonObject().put("namespace", 7), "broker.kafka.namespace");
    assertInvalid(new JsonObject().put("handBackTimeoutMs", 0), "broker.kafka.handBackTimeoutMs");
  }

  private static void assertInvalid(JsonObject json, String key) {
    assertThatThrownBy(() -> KafkaBrokerOptions.fromJson(json))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(key + " ");
  }
}
