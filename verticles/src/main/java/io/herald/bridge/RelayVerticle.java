package io.herald.bridge;

import io.herald.broker.EventRelay;
import io.herald.broker.EventRelayOptions;
import io.herald.broker.MessageBroker;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The bridge from the event store to the broker: runs one {@link EventRelay}, so every stored event is
 * published in global order and nothing reaches the broker that was not stored first.
 */
public final class RelayVerticle extends VerticleBase {

  private final EventStore store;
  private final MessageBroker broker;
  private final EventRelayOptions options;
  private volatile EventRelay relay;

  public RelayVerticle(EventStore store, MessageBroker broker, EventRelayOptions options) {
    this.store = Objects.requireNonNull(store, "store");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public Future<?> start() {
    relay = new EventRelay(vertx, store, store.checkpoints(), broker, options);
    return relay.start();
  }

  @Override
  public Future<?> stop() {
    return relay == null ? Future.succeededFuture() : relay.stop();
  }

  /** Readiness: the relay runs; reports how far it has published and how far behind the store it is. */
  public Future<JsonObject> check() {
    EventRelay current = relay;
    if (current == null || !current.isRunning()) {
      return Future.failedFuture("relay is " + (current == null ? "not started" : current.state().name().toLowerCase()));
    }
    return current.lag().map(lag -> new JsonObject()
        .put("publishedPosition", current.lastPublishedPosition())
        .put("lag", lag)
        .put("consecutiveFailures", current.consecutiveFailures()));
  }
}
