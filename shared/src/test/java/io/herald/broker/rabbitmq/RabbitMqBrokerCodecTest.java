package io.herald.broker.rabbitmq;

import static io.herald.broker.TestEvents.orderPaid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.impl.LongStringHelper;
import io.herald.broker.RawMessage;
import io.herald.broker.UndecodableMessageException;
import io.herald.broker.rabbitmq.RabbitMqBrokerOptions.Binding;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The CloudEvents AMQP binding")
class RabbitMqBrokerCodecTest {

  private final RabbitMqBinding binary = new RabbitMqBinding(BlueprintEvents.registry(), Binding.BINARY);
  private final RabbitMqBinding structured = new RabbitMqBinding(BlueprintEvents.registry(), Binding.STRUCTURED);
  private final RecordedEvent event = new RecordedEvent(42, "order-o1", orderPaid("o1").withTraceparent(
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));

  @Test
  @DisplayName("binary mode: attributes are cloudEvents: headers, the body is the data, content-type application/json")
  void binaryLayout() {
    RabbitMqBinding.Outgoing out = binary.encode(event);
    Map<String, Object> h = out.properties().getHeaders();

    assertThat(out.properties().getContentType()).isEqualTo("application/json");
    assertThat(out.properties().getDeliveryMode()).isEqualTo(2);
    assertThat(out.properties().getMessageId()).isEqualTo(event.envelope().id().toString());
    assertThat(h).containsEntry("cloudEvents:specversion", "1.0")
        .containsEntry("cloudEvents:id", event.envelope().id().toString())
        .containsEntry("cloudEvents:type", "order.paid")
        .containsEntry("cloudEvents:source", event.envelope().source())
        .containsEntry("cloudEvents:subject", "o1")
        .containsEntry("cloudEvents:time", event.envelope().time().toString())
        .containsEntry("cloudEvents:streamid", "order-o1")
        .containsEntry("cloudEvents:position", 42L)
        .containsEntry("cloudEvents:traceparent", event.envelope().traceparent())
        .containsKeys("cloudEvents:aggregatetype", "cloudEvents:sequence", "cloudEvents:correlationid",
            "cloudEvents:schemaversion")
        .doesNotContainKeys("cloudEvents:data", "cloudEvents:datacontenttype");
    JsonObject data = new JsonObject(new String(out.body(), StandardCharsets.UTF_8));
    assertThat(data.getString("orderId")).isEqualTo("o1");
    assertThat(data.containsKey("specversion")).isFalse();
  }

  @Test
  @DisplayName("structured mode: the body is the CloudEvents JSON format with its own content type")
  void structuredLayout() {
    RabbitMqBinding.Outgoing out = structured.encode(event);

    assertThat(out.properties().getContentType()).isEqualTo("application/cloudevents+json");
    assertThat(out.properties().getHeaders()).isNullOrEmpty();
    JsonObject doc = new JsonObject(new String(out.body(), StandardCharsets.UTF_8));
    assertThat(doc.getString("type")).isEqualTo("order.paid");
    assertThat(doc.getLong("position")).isEqualTo(42L);
  }

  @Test
  @DisplayName("either mode reads both modes back to the same event, from the AMQP message and from a kept raw message")
  void roundTrips() {
    for (RabbitMqBinding writer : List.of(binary, structured)) {
      RabbitMqBinding.Outgoing out = writer.encode(event);
      RawMessage raw = new RawMessage(Buffer.buffer(out.body()), RabbitMqBinding.rawHeaders(out.properties()), "q");

      assertThat(binary.decode(out.properties(), out.body())).isEqualTo(event);
      assertThat(structured.decode(out.properties(), out.body())).isEqualTo(event);
      assertThat(binary.decode(raw)).isEqualTo(event);
    }
  }

  @Test
  @DisplayName("headers with the cloudEvents_ prefix, as AMQP long strings and numbers as text, are read too")
  void alternativePrefix() {
    Map<String, Object> headers = new LinkedHashMap<>();
    binary.encode(event).properties().getHeaders().forEach((name, value) ->
        headers.put(name.replace("cloudEvents:", "cloudEvents_"), LongStringHelper.asLongString(String.valueOf(value))));
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder().contentType("application/json").headers(headers).build();

    assertThat(binary.decode(props, binary.encode(event).body())).isEqualTo(event);
  }

  @Test
  @DisplayName("a structured CloudEvent without a content type is still read")
  void structuredWithoutContentType() {
    AMQP.BasicProperties none = new AMQP.BasicProperties.Builder().build();

    assertThat(binary.decode(none, structured.encode(event).body())).isEqualTo(event);
  }

  @Test
  @DisplayName("what is not an event is refused with a reason naming the problem")
  void undecodable() {
    AMQP.BasicProperties none = new AMQP.BasicProperties.Builder().build();
    assertThatThrownBy(() -> binary.decode(none, "not json {".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("not JSON");
    assertThatThrownBy(() -> binary.decode(none, "{\"hello\":1}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("specversion");

    RabbitMqBinding.Outgoing out = binary.encode(event);
    Map<String, Object> unknown = new LinkedHashMap<>(out.properties().getHeaders());
    unknown.put("cloudEvents:type", "order.teleported");
    assertThatThrownBy(() -> binary.decode(out.properties().builder().headers(unknown).build(), out.body()))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("order.teleported");

    Map<String, Object> noId = new LinkedHashMap<>(out.properties().getHeaders());
    noId.remove("cloudEvents:id");
    assertThatThrownBy(() -> binary.decode(out.properties().builder().headers(noId).build(), out.body()))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("'id'");

    assertThatThrownBy(() -> binary.decode(out.properties(), "[1,2]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("order.paid");
  }

  @Test
  @DisplayName("raw headers carry the AMQP properties under their names and header values as text")
  void rawHeaders() {
    Map<String, String> raw = RabbitMqBinding.rawHeaders(binary.encode(event).properties());

    assertThat(raw).containsEntry("content-type", "application/json")
        .containsEntry("message-id", event.envelope().id().toString())
        .containsEntry("cloudEvents:position", "42")
        .containsEntry("cloudEvents:type", "order.paid");
  }
}
