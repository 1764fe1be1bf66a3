package io.herald.broker.redis;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.userRegistered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.broker.RawMessage;
import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.UndecodableMessageException;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Redis entry binding")
class RedisBrokerBindingTest {

  private final RedisBinding binding = new RedisBinding(BlueprintEvents.registry());
  private final StructuredCloudEvents structured = new StructuredCloudEvents(BlueprintEvents.registry());

  @Test
  @DisplayName("the streaming writer produces the structured CloudEvents document, attribute for attribute and in order")
  void writerMatchesTheStructuredBinding() {
    CloudEventWriter writer = new CloudEventWriter(BlueprintEvents.registry());
    for (RecordedEvent event : List.of(new RecordedEvent(1, "order-1", orderPaid("1")),
        new RecordedEvent(2, "order-2", orderShipped("2")),
        new RecordedEvent(3, "user-\"3\"", userRegistered("ü3")))) {
      Buffer written = writer.write(event);

      assertThat(written.toJsonObject()).isEqualTo(structured.encodeJson(event));
      assertThat(written.toString()).isEqualTo(structured.encode(event).toString());
      assertThat(structured.decode(written)).isEqualTo(event);
    }
  }

  @Test
  @DisplayName("an entry's raw message is its event field, with the other fields as headers and the entry as destination")
  void rawMessageOfAnEntry() {
    RecordedEvent event = new RecordedEvent(7, "order-7", orderPaid("7"));
    Map<String, Buffer> fields = new LinkedHashMap<>();
    fields.put("type", Buffer.buffer("order.paid"));
    fields.put("stream", Buffer.buffer("order-7"));
    fields.put("event", structured.encode(event));
    StreamEntry entry = new StreamEntry("events.order", "1700000000000-0", fields);

    RawMessage raw = binding.raw(entry);

    assertThat(raw.payload()).isEqualTo(structured.encode(event));
    assertThat(raw.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("type", "order.paid", "stream", "order-7"));
    assertThat(raw.destination()).isEqualTo("events.order 1700000000000-0");
    assertThat(binding.decode(raw)).isEqualTo(event);
    assertThat(binding.decode(entry)).isEqualTo(event);
  }

  @Test
  @DisplayName("an entry without an event field becomes a JSON payload of all its fields, and says what is missing")
  void entryWithoutEventField() {
    StreamEntry entry = new StreamEntry("events.order", "1-0", Map.of("note", Buffer.buffer("hello")));

    RawMessage raw = binding.raw(entry);

    assertThat(new JsonObject(raw.payloadText())).isEqualTo(new JsonObject().put("note", "hello"));
    assertThat(raw.headers()).containsEntry("note", "hello");
    assertThatThrownBy(() -> binding.decode(entry))
        .isInstanceOf(UndecodableMessageException.class)
        .hasMessageContaining("no 'event' field").hasMessageContaining("events.order 1-0");
  }

  @Test
  @DisplayName("a CloudEvent of an unknown type is undecodable, naming the type")
  void unknownType() {
    String doc = "{\"specversion\":\"1.0\",\"id\":\"6f1c4c9e-0000-4000-8000-000000000001\",\"source\":\"/x\","
        + "\"type\":\"order.teleported\",\"time\":\"2026-01-01T00:00:00Z\",\"subject\":\"o1\",\"position\":5,"
        + "\"streamid\":\"order-o1\",\"data\":{}}";
    StreamEntry entry = new StreamEntry("events.order", "1-0", Map.of("event", Buffer.buffer(doc)));

    assertThatThrownBy(() -> binding.decode(entry))
        .isInstanceOf(UndecodableMessageException.class).hasMessageContaining("order.teleported");
  }

  @Test
  @DisplayName("a group starts on every stream just before its birth, so entries of that millisecond count")
  void startId() {
    assertThat(RedisMember.startId(1_700_000_000_123L)).isEqualTo("1700000000122-18446744073709551615");
  }
}
