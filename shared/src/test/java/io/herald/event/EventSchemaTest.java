package io.herald.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Event schema: registry, strict JSON and CloudEvents format")
class EventSchemaTest {

  private static final EventRegistry REGISTRY = BlueprintEvents.registry();
  private static final EventFactory FACTORY = new EventFactory(REGISTRY, "/herald/order");
  private static final CloudEventJson FORMAT = new CloudEventJson(REGISTRY);

  private static JsonObject orderJson() {
    return REGISTRY.encode(SampleEvents.orderCreated("o-1"));
  }

  @Test
  @DisplayName("an order.created stored at version 1 (no payment token) reads as version 2 with an empty token")
  void orderCreatedVersion1IsUpcast() {
    JsonObject v1 = orderJson();
    v1.remove("paymentToken");

    OrderCreated read = (OrderCreated) REGISTRY.decode("order.created", 1, v1);

    assertThat(read.paymentToken()).isEmpty();
    assertThat(read.total()).isEqualTo(new BigDecimal("59.7000001"));
    assertThatThrownBy(() -> REGISTRY.decode("order.created", 2, v1))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.field()).isEqualTo("paymentToken"));
  }

  @Test
  @DisplayName("money is written as an exact decimal string and read back exactly")
  void moneyIsADecimalString() {
    JsonObject json = orderJson();

    assertThat(json.getValue("total")).isEqualTo("59.7000001");
    assertThat(json.getJsonArray("items").getJsonObject(1).getValue("unitPrice")).isEqualTo("0.0000001");
    OrderCreated back = (OrderCreated) REGISTRY.decode("order.created", 2, json);
    assertThat(back.total()).isEqualTo(new BigDecimal("59.7000001"));
  }

  @Test
  @DisplayName("money sent as a JSON number is refused, naming the field")
  void moneyAsNumberIsRefused() {
    JsonObject json = orderJson().put("total", 59.7);

    assertThatThrownBy(() -> REGISTRY.decode("order.created", 2, json))
        .isInstanceOf(EventDecodingException.class)
        .hasMessageContaining("'order.created'").hasMessageContaining("field 'total'");
  }

  @Test
  @DisplayName("a missing required field fails with the type and the field's path")
  void missingField() {
    JsonObject json = orderJson();
    json.getJsonArray("items").getJsonObject(0).remove("sku");

    assertThatThrownBy(() -> REGISTRY.decode("order.created", 2, json))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> {
          assertThat(e.eventType()).isEqualTo("order.created");
          assertThat(e.field()).isEqualTo("items[0].sku");
        })
        .hasMessageContaining("missing");
  }

  @Test
  @DisplayName("a null required field fails with the field's name")
  void nullField() {
    JsonObject json = orderJson().putNull("email");

    assertThatThrownBy(() -> REGISTRY.decode("order.created", 2, json))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.field()).isEqualTo("email"))
        .hasMessageContaining("null");
  }

  @Test
  @DisplayName("a wrong JSON type fails with the field's path, and scalars are not coerced")
  void wrongJsonType() {
    JsonObject quantityAsString = orderJson();
    quantityAsString.getJsonArray("items").getJsonObject(1).put("quantity", "1");
    JsonObject emailAsNumber = orderJson().put("email", 42);

    assertThatThrownBy(() -> REGISTRY.decode("order.created", 1, quantityAsString))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.field()).isEqualTo("items[1].quantity"));
    assertThatThrownBy(() -> REGISTRY.decode("order.created", 1, emailAsNumber))
        .isInstanceOfSatisfying(EventDecodingException.class, e -> assertThat(e.field()).isEqualTo("email"));
  }

  @Test
  @DisplayName("an unknown event type is an error naming the type, never a silent drop")
  void unknownType() {
    assertThatThrownBy(() -> REGISTRY.decode("order.teleported", 1, new JsonObject()))
        .isInstanceOfSatisfying(UnknownEventTypeException.class, e -> assertThat(e.eventType()).isEqualTo("order.teleported"))
        .hasMessageContaining("'order.teleported'");
  }

  @EventType(value = "test.person-renamed", aggregate = "person", version = 3)
  record PersonRenamed(String personId, String fullName, String locale) implements DomainEvent {
    @Override
    public String aggregateId() {
      return personId;
    }
  }

  @Test
  @DisplayName("older schema versions are upcast step by step to the current record")
  void upcastChain() {
    EventRegistry registry = EventRegistry.builder()
        .register(PersonRenamed.class)
        .upcaster("test.person-renamed", 1, d -> d.put("fullName", d.getString("first") + " " + d.getString("last")))
        .upcaster("test.person-renamed", 2, d -> d.put("locale", "en"))
        .build();

    DomainEvent fromV1 = registry.decode("test.person-renamed", 1,
        new JsonObject().put("personId", "p1").put("first", "Grace").put("last", "Hopper"));
    DomainEvent fromV2 = registry.decode("test.person-renamed", 2,
        new JsonObject().put("personId", "p1").put("fullName", "Grace Hopper"));

    assertThat(fromV1).isEqualTo(new PersonRenamed("p1", "Grace Hopper", "en"));
    assertThat(fromV2).isEqualTo(fromV1);
    assertThatThrownBy(() -> registry.decode("test.person-renamed", 4, new JsonObject()))
        .isInstanceOf(EventDecodingException.class).hasMessageContaining("version 4");
  }

  @Test
  @DisplayName("a registry refuses a missing upcaster, a clashing name and an unannotated class")
  void registryChecks() {
    assertThatThrownBy(() -> EventRegistry.builder().register(PersonRenamed.class).build())
        .hasMessageContaining("missing upcasters").hasMessageContaining("test.person-renamed v1→v2");
    assertThatThrownBy(() -> EventRegistry.builder().register("order.created", PersonRenamed.class, "x", 1)
        .register("order.created", OrderCreated.class, "order", 1))
        .hasMessageContaining("'order.created' is already registered");
  }

  @Test
  @DisplayName("structured CloudEvents JSON is read by the CloudEvents SDK with every attribute and extension")
  void standardSdkReadsIt() {
    EventEnvelope envelope = FACTORY.create(SampleEvents.orderCreated("o-7")).withSequence(4);
    byte[] bytes = FORMAT.encode(new RecordedEvent(99, "order-o-7", envelope)).toBuffer().getBytes();

    CloudEvent event = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(bytes);

    assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
    assertThat(event.getId()).isEqualTo(envelope.id().toString());
    assertThat(event.getType()).isEqualTo("order.created");
    assertThat(event.getSource().toString()).isEqualTo("/herald/order");
    assertThat(event.getSubject()).isEqualTo("o-7");
    assertThat(event.getTime().toInstant()).isEqualTo(envelope.time());
    assertThat(event.getDataContentType()).isEqualTo("application/json");
    assertThat(event.getExtension("aggregatetype")).isEqualTo("order");
    assertThat(String.valueOf(event.getExtension("sequence"))).isEqualTo("4");
    assertThat(event.getExtension("correlationid")).isEqualTo(envelope.correlationid());
    assertThat(String.valueOf(event.getExtension("schemaversion"))).isEqualTo(String.valueOf(envelope.schemaversion()));
    assertThat(envelope.schemaversion()).isEqualTo(2);
    assertThat(String.valueOf(event.getExtension("position"))).isEqualTo("99");
    assertThat(new JsonObject(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).getString("total"))
        .isEqualTo("59.7000001");
  }

  @Test
  @DisplayName("a CloudEvent written by the SDK is read back into the registered record")
  void readsSdkOutput() {
    CloudEvent event = io.cloudevents.core.builder.CloudEventBuilder.v1()
        .withId("6f1f7b2e-8a9c-4e2b-9d5c-1a2b3c4d5e6f")
        .withSource(java.net.URI.create("/crm"))
        .withType("user.registered")
        .withSubject("u-5")
        .withTime(java.time.OffsetDateTime.parse("2026-11-27T10:15:30.123456Z"))
        .withDataContentType("application/json")
        .withData("{\"userId\":\"u-5\",\"email\":\"x@example.org\",\"username\":\"x\"}".getBytes(StandardCharsets.UTF_8))
        .build();
    byte[] bytes = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).serialize(event);

    EventEnvelope envelope = FORMAT.decode(io.vertx.core.buffer.Buffer.buffer(bytes));

    assertThat(envelope.data()).isEqualTo(new io.herald.event.domain.UserRegistered("u-5", "x@example.org", "x"));
    assertThat(envelope.aggregatetype()).isEqualTo("user");
    assertThat(envelope.correlationid()).isEqualTo("6f1f7b2e-8a9c-4e2b-9d5c-1a2b3c4d5e6f");
  }

  @Test
  @DisplayName("an invalid CloudEvent names the attribute at fault")
  void invalidCloudEvent() {
    JsonObject valid = FORMAT.encode(FACTORY.create(SampleEvents.orderCreated("o-1")));

    assertThatThrownBy(() -> FORMAT.decode(valid.copy().put("specversion", "0.3")))
        .isInstanceOfSatisfying(CloudEventFormatException.class, e -> assertThat(e.attribute()).isEqualTo("specversion"));
    assertThatThrownBy(() -> FORMAT.decode(valid.copy().put("id", "not-a-uuid")))
        .hasMessageContaining("'id'");
    JsonObject noTime = valid.copy();
    noTime.remove("time");
    assertThatThrownBy(() -> FORMAT.decode(noTime)).hasMessageContaining("'time'").hasMessageContaining("missing");
    assertThatThrownBy(() -> FORMAT.decode(valid.copy().put("sequence", "seven"))).hasMessageContaining("'sequence'");
    assertThatThrownBy(() -> FORMAT.decode(io.vertx.core.buffer.Buffer.buffer("not json"))).hasMessageContaining("not a JSON object");
  }
}
