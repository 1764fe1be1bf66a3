package io.herald.broker.nats;

import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.JetStreamManagement;
import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The NATS JetStream broker, against the broker contract")
class NatsBrokerIT extends MessageBrokerContract {

  private static NatsTestServer server;

  @BeforeAll
  static void connect() throws Exception {
    server = new NatsTestServer();
  }

  @AfterAll
  static void cleanUp() throws Exception {
    server.close();
  }

  @Override
  protected MessageBroker newBroker(Vertx vertx, String namespace, String host, int port) {
    return new NatsBroker(vertx, server.options(namespace, host, port), BlueprintEvents.registry());
  }

  @Override
  protected int brokerPort() {
    return NatsTestServer.PORT;
  }

  @Override
  protected Future<Void> publishForeign(String namespace, String aggregateType, String type, Buffer body) {
    return vertx.executeBlocking(() -> {
      server.connection().jetStream().publish(namespace + "." + type, body.getBytes());
      return null;
    }, false);
  }

  @Override
  protected Future<List<RawMessage>> deadLettersOf(MessageBroker broker, String namespace, String group) {
    return vertx.executeBlocking(() -> server.deadLetters(namespace, group), false);
  }

  // the dead stream full (one message, discard new) refuses the next one; the original limits take it again
  @Override
  protected Unblock blockDeadLetters(MessageBroker broker, String namespace, String group) throws Exception {
    NatsNames names = new NatsNames(namespace);
    JetStreamManagement jsm = server.connection().jetStreamManagement();
    StreamConfiguration before = jsm.getStreamInfo(names.deadStream()).getConfiguration();
    server.connection().jetStream().publish(names.deadSubject("filler"), new byte[] {1});
    jsm.updateStream(StreamConfiguration.builder(before).maxMessages(1).discardPolicy(DiscardPolicy.New).build());
    return () -> jsm.updateStream(StreamConfiguration.builder(before).build());
  }
}
