package io.herald.api;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The platform on PostgreSQL and NATS JetStream")
class NatsFlowsIT extends BrokerFlowsContract {

  @Override
  protected String profile() {
    return "nats";
  }

  @Override
  protected int brokerPort() {
    return 4222;
  }

  @Override
  protected Map<String, String> brokerSettings(String host, int port) {
    // a member cut off from NATS loses its lease, and the naks it sends meanwhile are lost with the connection: its
    // messages come back when JetStream's ack wait runs out. Kept well inside recoverySeconds(), as an operator
    // would keep it inside the recovery time they promise (the default, 30 s, equals the contract's whole window)
    return Map.of("broker.nats.servers", "nats://" + host + ":" + port, "broker.nats.namespace", namespace,
        "broker.nats.reconnectWaitMs", "200", "broker.nats.leaseTtlMs", "6000", "broker.nats.requestTimeoutMs", "2000",
        "broker.nats.ackWaitMs", "8000", "broker.nats.redeliveryCapMs", "2000");
  }

  // a third party's NATS client publishing junk on the subject the group reads
  @Override
  protected Future<Void> publishForeign(Vertx vertx, String aggregateType, String type, Buffer body) {
    return vertx.executeBlocking(() -> {
      try (Connection connection = Nats.connect("nats://127.0.0.1:4222")) {
        connection.jetStream().publish(namespace + "." + type, body.getBytes());
      }
      return null;
    });
  }
}
