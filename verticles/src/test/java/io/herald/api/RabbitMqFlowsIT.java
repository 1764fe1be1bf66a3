package io.herald.api;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The platform on PostgreSQL and RabbitMQ")
class RabbitMqFlowsIT extends BrokerFlowsContract {

  @Override
  protected String profile() {
    return "rabbitmq";
  }

  @Override
  protected int brokerPort() {
    return 5672;
  }

  @Override
  protected Map<String, String> brokerSettings(String host, int port) {
    return Map.of("broker.rabbitmq.host", host, "broker.rabbitmq.port", Integer.toString(port),
        "broker.rabbitmq.namespace", namespace, "broker.rabbitmq.heartbeatSeconds", "2",
        "broker.rabbitmq.reconnectCapMs", "1000");
  }

  // a third party's AMQP client, publishing junk where the group reads
  @Override
  protected Future<Void> publishForeign(Vertx vertx, String aggregateType, String type, Buffer body) {
    return vertx.executeBlocking(() -> {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setHost("127.0.0.1");
      factory.setPort(5672);
      try (Connection connection = factory.newConnection("a third party"); Channel channel = connection.createChannel()) {
        channel.confirmSelect();
        channel.basicPublish(namespace, type, new AMQP.BasicProperties.Builder().deliveryMode(2).build(), body.getBytes());
        channel.waitForConfirmsOrDie(10_000);
      }
      return null;
    });
  }
}
