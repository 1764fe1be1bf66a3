package io.herald.broker.eventbus;

import io.herald.broker.MessageBroker;
import io.herald.broker.MessageBrokerContract;
import io.herald.broker.RawMessage;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The event-bus broker, against the broker contract")
class EventBusBrokerContractTest extends MessageBrokerContract {

  @Override
  protected MessageBroker newBroker(Vertx vertx, String namespace, String host, int port) {
    return new EventBusBroker(vertx, EventBusBrokerOptions.fromJson(new JsonObject()
        .put("address", "herald.broker." + namespace).put("redeliveryBaseMs", 10).put("redeliveryCapMs", 50)
        .put("handBackTimeoutMs", 5_000)),
        BlueprintEvents.registry());
  }

  @Override
  protected int brokerPort() {
    return 0;
  }

  @Override
  protected Future<Void> publishForeign(String namespace, String aggregateType, String type, Buffer body) {
    return null; // the event bus carries Herald's objects only
  }

  @Override
  protected Future<List<RawMessage>> deadLettersOf(MessageBroker broker, String namespace, String group) {
    return Future.succeededFuture(((EventBusBroker) broker).deadLetters(group));
  }

  @Override
  protected boolean durable() {
    return false;
  }

  @Override
  protected boolean reachableThroughProxy() {
    return false;
  }
}
