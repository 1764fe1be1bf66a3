package io.herald.broker.rabbitmq;

import static io.herald.broker.TestEvents.orderPaid;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.GetResponse;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.provider.EventFormatProvider;
import io.cloudevents.jackson.JsonFormat;
import io.herald.broker.TestEvents;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Herald's events as any AMQP client sees them, and events from any AMQP client as Herald reads them. */
@DisplayName("The RabbitMQ broker's CloudEvents binding, read and written by a third party's AMQP client")
@Timeout(value = 60, unit = SECONDS)
class RabbitMqBrokerBindingIT {

  private static Vertx vertx;
  private static RabbitMqTestSupport rabbit;
  private RabbitMqBroker broker;
  private String namespace;

  @BeforeAll
  static void setUp() throws Exception {
    vertx = Vertx.vertx();
    rabbit = new RabbitMqTestSupport();
  }

  @AfterAll
  static void tearDown() throws Exception {
    rabbit.close();
    vertx.close().await(20, SECONDS);
  }

  @BeforeEach
  void newNamespace() {
    namespace = "c" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void closeBroker() throws Exception {
    if (broker != null) {
      broker.close().await(20, SECONDS);
    }
  }

  private RabbitMqBroker started(String binding) throws Exception {
    rabbit.track(namespace, "reader");
    RabbitMqBrokerOptions options = RabbitMqBrokerOptions.fromJson(RabbitMqBrokerIT.testOptions(namespace,
        RabbitMqTestSupport.HOST, RabbitMqTestSupport.PORT).toJson().put("binding", binding));
    broker = new RabbitMqBroker(vertx, options, BlueprintEvents.registry());
    broker.start().await(30, SECONDS);
    return broker;
  }

  @Test
  @DisplayName("binary mode: a plain AMQP consumer finds the attributes in cloudEvents: headers and the data in the body")
  void thirdPartyReadsBinaryMode() throws Exception {
    started("binary");
    rabbit.bindQueue(namespace + ".thirdparty", namespace, "order.#");
    RecordedEvent event = new RecordedEvent(31, "order-t", orderPaid("t"));

    broker.publish(event).await(20, SECONDS);
    List<GetResponse> got = rabbit.drain(namespace + ".thirdparty");

    assertThat(got).hasSize(1);
    GetResponse message = got.get(0);
    assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("order.paid");
    assertThat(message.getProps().getContentType()).isEqualTo("application/json");
    assertThat(message.getProps().getDeliveryMode()).isEqualTo(2);
    Map<String, String> headers = new LinkedHashMap<>();
    message.getProps().getHeaders().forEach((k, v) -> headers.put(k, String.valueOf(v)));
    assertThat(headers).containsEntry("cloudEvents:specversion", "1.0")
        .containsEntry("cloudEvents:id", event.envelope().id().toString())
        .containsEntry("cloudEvents:source", event.envelope().source())
        .containsEntry("cloudEvents:type", "order.paid")
        .containsEntry("cloudEvents:time", event.envelope().time().toString())
        .containsEntry("cloudEvents:subject", "t")
        .containsEntry("cloudEvents:aggregatetype", "order")
        .containsEntry("cloudEvents:correlationid", event.envelope().correlationid())
        .containsEntry("cloudEvents:position", "31")
        .containsEntry("cloudEvents:streamid", "order-t")
        .containsKeys("cloudEvents:sequence", "cloudEvents:schemaversion");
    JsonObject data = new JsonObject(new String(message.getBody(), StandardCharsets.UTF_8));
    assertThat(data.getString("orderId")).isEqualTo("t");
    assertThat(data.getString("amount")).isEqualTo("12.50");
  }

  @Test
  @DisplayName("structured mode: a CloudEvents SDK reads the body as a CloudEvent")
  void sdkReadsStructuredMode() throws Exception {
    started("structured");
    rabbit.bindQueue(namespace + ".thirdparty", namespace, "#");
    RecordedEvent event = new RecordedEvent(32, "order-s", orderPaid("s"));

    broker.publish(event).await(20, SECONDS);
    List<GetResponse> got = rabbit.drain(namespace + ".thirdparty");

    assertThat(got).hasSize(1);
    assertThat(got.get(0).getProps().getContentType()).isEqualTo("application/cloudevents+json");
    CloudEvent ce = EventFormatProvider.getInstance().resolveFormat(JsonFormat.CONTENT_TYPE).deserialize(got.get(0).getBody());
    assertThat(ce.getId()).isEqualTo(event.envelope().id().toString());
    assertThat(ce.getType()).isEqualTo("order.paid");
    assertThat(ce.getSource().toString()).isEqualTo(event.envelope().source());
    assertThat(ce.getSubject()).isEqualTo("s");
    assertThat(String.valueOf(ce.getExtension("position"))).isEqualTo("32");
    assertThat(String.valueOf(ce.getExtension("streamid"))).isEqualTo("order-s");
  }

  @Test
  @DisplayName("a binary CloudEvent from another client (cloudEvents_ headers, text values) reaches a group as an event")
  void groupReadsAnotherClientsBinaryEvent() throws Exception {
    started("binary");
    List<RecordedEvent> got = new CopyOnWriteArrayList<>();
    broker.subscribe("reader", List.of("order.*"), d -> {
      if (d.event() != null) {
        got.add(d.event());
      }
      d.ack();
    }).await(30, SECONDS);
    String id = UUID.randomUUID().toString();
    Map<String, Object> headers = new LinkedHashMap<>();
    headers.put("cloudEvents_specversion", "1.0");
    headers.put("cloudEvents_id", id);
    headers.put("cloudEvents_source", "/billing-legacy");
    headers.put("cloudEvents_type", "order.paid");
    headers.put("cloudEvents_time", "2026-01-02T03:04:05Z");
    headers.put("cloudEvents_subject", "o-77");
    headers.put("cloudEvents_position", "77");
    headers.put("cloudEvents_streamid", "order-o-77");
    String data = "{\"orderId\":\"o-77\",\"paymentId\":\"p-77\",\"amount\":\"5.00\"}";

    rabbit.publish(namespace, "order.paid", new AMQP.BasicProperties.Builder().contentType("application/json")
        .headers(headers).build(), data.getBytes(StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (got.isEmpty() && System.nanoTime() < deadline) {
      TestEvents.pause(10);
    }

    assertThat(got).hasSize(1);
    RecordedEvent event = got.get(0);
    assertThat(event.envelope().id().toString()).isEqualTo(id);
    assertThat(event.position()).isEqualTo(77);
    assertThat(event.streamId()).isEqualTo("order-o-77");
    assertThat(event.envelope().source()).isEqualTo("/billing-legacy");
    assertThat(event.type()).isEqualTo("order.paid");
  }
}
