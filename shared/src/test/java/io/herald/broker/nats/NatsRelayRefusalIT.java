package io.herald.broker.nats;

import static java.util.concurrent.TimeUnit.SECONDS;

import io.herald.broker.MessageBroker;
import io.herald.event.domain.BlueprintEvents;
import io.herald.relay.RelayRefusalContract;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.StreamConfiguration;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The relay in front of NATS JetStream, whose stream refuses large messages")
class NatsRelayRefusalIT extends RelayRefusalContract {

  private static NatsTestServer server;

  @BeforeAll
  static void connect() throws Exception {
    server = new NatsTestServer();
  }

  @AfterAll
  static void cleanUpServer() throws Exception {
    server.close();
  }

  // the event stream's max_msg_size, lowered once the broker created the stream
  @Override
  protected MessageBroker startedBrokerWithLimit(Vertx vertx, String namespace) throws Exception {
    NatsBroker broker = new NatsBroker(vertx, server.options(namespace, "127.0.0.1", NatsTestServer.PORT),
        BlueprintEvents.registry());
    broker.start().await(30, SECONDS);
    JetStreamManagement jsm = server.connection().jetStreamManagement();
    String stream = new NatsNames(namespace).stream();
    jsm.updateStream(StreamConfiguration.builder(jsm.getStreamInfo(stream).getConfiguration())
        .maximumMessageSize(limitBytes()).build());
    return broker;
  }

  @Override
  protected void cleanUp(Vertx vertx, String namespace, MessageBroker broker) throws Exception {
    broker.close().await(20, SECONDS);
  }
}
