package io.herald.relay;

import io.herald.broker.MessageBroker;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link EventRelay} that runs only while it holds the store's {@link PublisherLease}: every process may deploy
 * one, exactly one publishes, and when the holder dies or loses its lease another one takes over from the stored
 * checkpoint. Nothing stored stays unpublished: the new holder starts after the last saved checkpoint, so at
 * worst it publishes again what the old one published after its last save (at least once). The relay claims the
 * checkpoint with the lease's epoch, so a holder that lost the lease but still runs cannot move it any more.
 */
public final class LeasedRelay {

  private static final Logger log = LoggerFactory.getLogger(LeasedRelay.class);

  /** What this relay is doing. */
  public enum Role {
    /** Waiting for the lease: another process publishes, or the store is unreachable. */
    STANDBY,
    /** Holding the lease and publishing. */
    PUBLISHING,
    /** Stopped. */
    STOPPED
  }

  private final Vertx vertx;
  private final EventStore store;
  private final CheckpointStore checkpoints;
  private final MessageBroker broker;
  private final EventRelayOptions options;
  private final PublisherLease lease;
  private final PublishListener listener;
  private final Context context;
  private volatile Role role = Role.STANDBY;
  private volatile EventRelay relay;
  private boolean stopped;

  public LeasedRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                     EventRelayOptions options, PublisherLease lease) {
    this(vertx, store, checkpoints, broker, options, lease, PublishListener.NONE);
  }

  /** As above, telling {@code listener} about every event the broker confirmed. */
  public LeasedRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                     EventRelayOptions options, PublisherLease lease, PublishListener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.store = Objects.requireNonNull(store, "store");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
    this.broker = Objects.requireNonNull(broker, "broker");
    this.options = Objects.requireNonNull(options, "options");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.context = vertx.getOrCreateContext();
  }

  /** Starts competing for the lease; completes at once, the relay publishes once the lease is held. */
  public Future<Void> start() {
    context.runOnContext(v -> compete());
    return Future.succeededFuture();
  }

  private void compete() {
    if (stopped) {
      return;
    }
    lease.acquire(this::lost).onComplete(acquired -> context.runOnContext(v -> {
      if (acquired.failed() || stopped) {
        return;
      }
      EventRelay next = new EventRelay(vertx, store, checkpoints, broker, options, listener, lease.epoch());
      relay = next;
      next.start().onComplete(started -> context.runOnContext(w -> {
        if (started.succeeded()) {
          role = Role.PUBLISHING;
        } else {
          log.warn("relay '{}' holds the lease but could not start: {}; trying again", options.checkpointName(),
              started.cause().getMessage());
          lease.release().onComplete(released -> vertx.setTimer(options.retryBaseMs(), t -> compete()));
        }
      }));
    }));
  }

  private void lost(Throwable reason) {
    context.runOnContext(v -> {
      role = Role.STANDBY;
      EventRelay current = relay;
      relay = null;
      log.warn("relay '{}' stops publishing: its lease was lost ({})", options.checkpointName(), reason.getMessage());
      (current == null ? Future.<Void>succeededFuture() : current.stop())
          .onComplete(ar -> compete());
    });
  }

  /** Stops publishing (saving the checkpoint) and gives the lease up. */
  public Future<Void> stop() {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> {
      stopped = true;
      role = Role.STOPPED;
      EventRelay current = relay;
      relay = null;
      (current == null ? Future.<Void>succeededFuture() : current.stop())
          .transform(ar -> lease.release())
          .onComplete(ar -> done.complete());
    });
    return done.future();
  }

  public Role role() {
    return role;
  }

  /** @return the relay while this process publishes, otherwise {@code null} */
  public EventRelay relay() {
    return relay;
  }
}
