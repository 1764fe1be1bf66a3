package io.herald.broker.rabbitmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.broker.rabbitmq.RabbitMqBrokerOptions.Binding;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RabbitMQ broker options")
class RabbitMqBrokerOptionsTest {

  @Test
  @DisplayName("an empty section gives the documented defaults")
  void defaults() {
    RabbitMqBrokerOptions o = RabbitMqBrokerOptions.fromJson(new JsonObject());

    assertThat(o).isEqualTo(RabbitMqBrokerOptions.defaults());
    assertThat(o.host()).isEqualTo("127.0.0.1");
    assertThat(o.port()).isEqualTo(5672);
    assertThat(o.username()).isEqualTo("guest");
    assertThat(o.virtualHost()).isEqualTo("/");
    assertThat(o.namespace()).isEqualTo("events");
    assertThat(o.binding()).isEqualTo(Binding.BINARY);
    assertThat(o.prefetch()).isEqualTo(256);
    assertThat(o.maxBuffered()).isEqualTo(256);
    assertThat(o.maxUnconfirmed()).isEqualTo(10_000);
  }

  @Test
  @DisplayName("toJson gives back a section that fromJson reads unchanged, and absent keys keep their defaults")
  void roundTrip() {
    JsonObject section = new JsonObject().put("namespace", "herald").put("binding", "structured").put("prefetch", 10)
        .put("reconnectCapMs", 9_000);
    RabbitMqBrokerOptions o = RabbitMqBrokerOptions.fromJson(section);

    assertThat(o.namespace()).isEqualTo("herald");
    assertThat(o.binding()).isEqualTo(Binding.STRUCTURED);
    assertThat(o.prefetch()).isEqualTo(10);
    assertThat(o.reconnectCapMs()).isEqualTo(9_000);
    assertThat(o.heartbeatSeconds()).isEqualTo(RabbitMqBrokerOptions.DEFAULT_HEARTBEAT_SECONDS);
    assertThat(o.toJson().getString("binding")).isEqualTo("structured");
    assertThat(RabbitMqBrokerOptions.fromJson(o.toJson())).isEqualTo(o);
  }

  @Test
  @DisplayName("numbers written as text (environment overrides) are read")
  void numbersAsText() {
    RabbitMqBrokerOptions o = RabbitMqBrokerOptions.fromJson(new JsonObject().put("port", "5673").put("prefetch", " 64 "));

    assertThat(o.port()).isEqualTo(5673);
    assertThat(o.prefetch()).isEqualTo(64);
  }

  @Test
  @DisplayName("invalid values are refused with the key that holds them")
  void validation() {
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("prefetch", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("broker.rabbitmq.prefetch");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("port", 70_000)))
        .hasMessageContaining("broker.rabbitmq.port");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("namespace", " ")))
        .hasMessageContaining("broker.rabbitmq.namespace");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("namespace", "ev#")))
        .hasMessageContaining("broker.rabbitmq.namespace");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("binding", "mixed")))
        .hasMessageContaining("broker.rabbitmq.binding").hasMessageContaining("mixed");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("redeliveryBaseMs", 500).put("redeliveryCapMs", 100)))
        .hasMessageContaining("broker.rabbitmq.redeliveryCapMs");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("reconnectBaseMs", 500).put("reconnectCapMs", 100)))
        .hasMessageContaining("broker.rabbitmq.reconnectCapMs");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("maxBuffered", "lots")))
        .hasMessageContaining("broker.rabbitmq.maxBuffered").hasMessageContaining("lots");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("heartbeatSeconds", -1)))
        .hasMessageContaining("broker.rabbitmq.heartbeatSeconds");
    assertThatThrownBy(() -> RabbitMqBrokerOptions.fromJson(new JsonObject().put("host", 42)))
        .hasMessageContaining("broker.rabbitmq.host");
  }

  @Test
  @DisplayName("the password never shows in toString")
  void passwordHidden() {
    RabbitMqBrokerOptions o = RabbitMqBrokerOptions.fromJson(new JsonObject().put("password", "s3cret-pw"));

    assertThat(o.toString()).doesNotContain("s3cret-pw").contains("***");
  }
}
