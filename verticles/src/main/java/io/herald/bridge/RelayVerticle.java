package io.herald.bridge;

import io.herald.broker.MessageBroker;
import io.herald.relay.EventRelay;
import io.herald.relay.EventRelayOptions;
import io.herald.relay.LeasedRelay;
import io.herald.relay.PublishListener;
import io.herald.lease.RoleLease;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * The bridge from the event store to the broker: runs one {@link EventRelay} while it holds the store's
 * relay lease ({@link RoleLease}), so every stored event is published in global order, nothing reaches the broker that was
 * not stored first, and of several nodes on one database exactly one publishes.
 */
public final class RelayVerticle extends VerticleBase {

  private final EventStore store;
  private final MessageBroker broker;
  private final EventRelayOptions options;
  private final RoleLease lease;
  private final PublishListener listener;
  private volatile LeasedRelay leased;

  public RelayVerticle(EventStore store, MessageBroker broker, EventRelayOptions options, RoleLease lease) {
    this(store, broker, options, lease, PublishListener.NONE);
  }

  /** As above, telling {@code listener} about every event the broker confirmed. */
  public RelayVerticle(EventStore store, MessageBroker broker, EventRelayOptions options, RoleLease lease,
                       PublishListener listener) {
    this.store = Objects.requireNonNull(store, "store");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.options = Objects.requireNonNull(options, "options");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public Future<?> start() {
    leased = new LeasedRelay(vertx, store, store.checkpoints(), broker, options, lease, listener);
    return leased.start();
  }

  @Override
  public Future<?> stop() {
    return leased == null ? Future.succeededFuture() : leased.stop();
  }

  /** @return stored events the broker has not confirmed; fails while this relay does not publish */
  public Future<Long> lag() {
    LeasedRelay current = leased;
    EventRelay running = current == null ? null : current.relay();
    if (running == null || !running.isRunning()) {
      return Future.failedFuture("the relay does not publish on this node");
    }
    return running.lag();
  }

  /**
   * Readiness: the relay publishes (with how far it has got and how far behind the store it is), or stands by
   * while another node's relay holds the lease.
   */
  public Future<JsonObject> check() {
    LeasedRelay current = leased;
    if (current == null) {
      return Future.failedFuture("relay is not started");
    }
    if (current.role() == LeasedRelay.Role.STANDBY) {
      return Future.succeededFuture(new JsonObject().put("role", "standby")
          .put("detail", "another node's relay holds the store's publisher lease"));
    }
    EventRelay running = current.relay();
    if (running == null || !running.isRunning()) {
      return Future.failedFuture("relay is " + (running == null ? current.role().name().toLowerCase() : running.state().name().toLowerCase()));
    }
    EventRelay relay = running;
    return relay.lag().map(lag -> new JsonObject()
        .put("role", "publishing")
        .put("publishedPosition", relay.lastPublishedPosition())
        .put("lag", lag)
        .put("consecutiveFailures", relay.consecutiveFailures()));
  }
}
