package io.herald.broker.kafka;

import static io.herald.broker.TestEvents.orderPaid;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The CloudEvents Kafka binding (binary mode)")
class KafkaBindingTest {

  private final KafkaBinding binding = new KafkaBinding(BlueprintEvents.registry());
  private final RecordedEvent event = new RecordedEvent(42, "order-o1", orderPaid("o1").withSequence(3));

  @Test
  @DisplayName("an event becomes ce_ headers, content-type application/json and its data as the value, and reads back")
  void roundTrip() {
    KafkaBinding.Encoded encoded = binding.encode(event);
    Map<String, String> headers = KafkaBinding.text(encoded.headers());

    assertThat(headers).containsEntry("ce_specversion", "1.0")
        .containsEntry("ce_id", event.envelope().id().toString())
        .containsEntry("ce_type", "order.paid")
        .containsEntry("ce_source", event.envelope().source())
        .containsEntry("ce_subject", event.envelope().subject())
        .containsEntry("ce_time", event.envelope().time().toString())
        .containsEntry("ce_aggregatetype", event.envelope().aggregatetype())
        .containsEntry("ce_sequence", "3")
        .containsEntry("ce_position", "42")
        .containsEntry("ce_streamid", "order-o1")
        .containsEntry("content-type", "application/json")
        .doesNotContainKey("ce_data")
        .doesNotContainKey("ce_datacontenttype");
    JsonObject data = new JsonObject(new String(encoded.value(), StandardCharsets.UTF_8));
    assertThat(data.getString("orderId")).isEqualTo("o1");
    assertThat(binding.decode(headers, encoded.value())).isEqualTo(event);
  }

  @Test
  @DisplayName("a structured-mode record (application/cloudevents+json) reads as the same event")
  void structuredMode() {
    byte[] document = new StructuredCloudEvents(BlueprintEvents.registry()).encode(event).getBytes();

    assertThat(binding.decode(Map.of("content-type", "application/cloudevents+json"), document)).isEqualTo(event);
    assertThat(binding.decode(Map.of(), document)).isEqualTo(event);
  }

  @Test
  @DisplayName("what is not an event fails with a reason that names the problem")
  void undecodable() {
    Map<String, String> headers = new HashMap<>(KafkaBinding.text(binding.encode(event).headers()));
    byte[] value = binding.encode(event).value();
    headers.put("ce_type", "order.teleported");

    assertThatThrownBy(() -> binding.decode(headers, value))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("order.teleported");
    assertThatThrownBy(() -> binding.decode(Map.of(), "not json {".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("JSON");
    assertThatThrownBy(() -> binding.decode(Map.of("content-type", "text/plain"), "hello".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("text/plain");
    headers.put("ce_type", "order.paid");
    headers.remove("ce_streamid");
    assertThatThrownBy(() -> binding.decode(headers, value))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("streamid");
    assertThatThrownBy(() -> binding.decode(KafkaBinding.text(binding.encode(event).headers()), "[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("data");
  }
}
