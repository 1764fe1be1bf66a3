package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The RabbitMQ broker, against the broker contract")
class RabbitMqBrokerIT extends MessageBrokerContract {

  // every group name the contract uses, so each test namespace can be removed afterwards
  private static final String[] CONTRACT_GROUPS = {"billing", "orders", "users", "all", "projector", "mailer", "shipper",
      "auditor", "inspector", "ledger", "g", "keeper"};

  private static RabbitMqTestSupport rabbit;

  @BeforeAll
  static void connect() throws Exception {
    rabbit = new RabbitMqTestSupport();
  }

  @AfterAll
  static void removeNamespaces() throws Exception {
    rabbit.close();
  }

  static RabbitMqBrokerOptions testOptions(String namespace, String host, int port) {
    return RabbitMqBrokerOptions.fromJson(new JsonObject()
        .put("host", host).put("port", port).put("namespace", namespace)
        .put("redeliveryBaseMs", 10).put("redeliveryCapMs", 50)
        .put("reconnectBaseMs", 100).put("reconnectCapMs", 1_000));
  }

  @Override
  protected MessageBroker newBroker(Vertx vertx, String namespace, String host, int port) {
    rabbit.track(namespace, CONTRACT_GROUPS);
    return new RabbitMqBroker(vertx, testOptions(namespace, host, port), BlueprintEvents.registry());
  }

  @Override
  protected int brokerPort() {
    return RabbitMqTestSupport.PORT;
  }

  @Override
  protected Future<Void> publishForeign(String namespace, String aggregateType, String type, Buffer body) {
    try {
      rabbit.publish(namespace, type, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body.getBytes());
      return Future.succeededFuture();
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  protected Future<List<RawMessage>> deadLettersOf(MessageBroker broker, String namespace, String group) {
    try {
      return Future.succeededFuture(rabbit.deadLetters(namespace, group));
    } catch (Exception e) {
      return Future.failedFuture(e);
    }
  }

  private boolean deleteDeadLetterQueue;

  // the dead-letter queue at max-length 0 with reject-publish (RabbitMQ nacks the dead letter), or deleted (the
  // mandatory dead letter comes back unroutable), until it is declared and bound again
  @Override
  protected Unblock blockDeadLetters(MessageBroker broker, String namespace, String group) throws Exception {
    String dlq = namespace + "." + group + ".dlq";
    if (deleteDeadLetterQueue) {
      rabbit.delete(dlq);
    } else {
      rabbit.redeclare(dlq, namespace + ".dlx", group, java.util.Map.of("x-max-length", 0, "x-overflow", "reject-publish"));
    }
    return () -> rabbit.redeclare(dlq, namespace + ".dlx", group, null);
  }

  @Test
  @DisplayName("with its dead-letter queue deleted, a dead letter stays unacked and is moved again until the queue is back: nothing is lost")
  void deletedDeadLetterQueueLosesNothing() throws Exception {
    deleteDeadLetterQueue = true;
    refusedDeadLetterIsMovedAgainUntilTaken();
  }
}
