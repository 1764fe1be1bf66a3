package io.herald.relay;

import io.herald.broker.MessageBroker;
import io.herald.lease.LeasedRole;
import io.herald.lease.RoleLease;
import io.herald.store.CheckpointStore;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * An {@link EventRelay} that runs only while it holds the store's relay lease (a {@link RoleLease}): every process
 * may deploy one, exactly one publishes, and when the holder dies or loses its lease another one takes over from the
 * stored checkpoint. Nothing stored stays unpublished: the new holder starts after the last saved checkpoint, so at
 * worst it publishes again what the old one published after its last save (at least once). The relay claims the
 * checkpoint with the lease's epoch, so a holder that lost the lease but still runs cannot move it any more.
 */
public final class LeasedRelay {

  /** What this relay is doing. */
  public enum Role {
    /** Waiting for the lease: another process publishes, or the store is unreachable. */
    STANDBY,
    /** Holding the lease and publishing. */
    PUBLISHING,
    /** Stopped. */
    STOPPED
  }

  private final LeasedRole role;
  private volatile EventRelay relay;

  public LeasedRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                     EventRelayOptions options, RoleLease lease) {
    this(vertx, store, checkpoints, broker, options, lease, PublishListener.NONE);
  }

  /** As above, telling {@code listener} about every event the broker confirmed. */
  public LeasedRelay(Vertx vertx, EventStore store, CheckpointStore checkpoints, MessageBroker broker,
                     EventRelayOptions options, RoleLease lease, PublishListener listener) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(checkpoints, "checkpoints");
    Objects.requireNonNull(broker, "broker");
    Objects.requireNonNull(listener, "listener");
    this.role = new LeasedRole(vertx, "relay '" + options.checkpointName() + "'", lease, new LeasedRole.Duty() {
      @Override
      public Future<Void> start(long epoch) {
        EventRelay next = new EventRelay(vertx, store, checkpoints, broker, options, listener, epoch);
        relay = next;
        return next.start();
      }

      @Override
      public Future<Void> stop() {
        EventRelay current = relay;
        relay = null;
        return current == null ? Future.succeededFuture() : current.stop();
      }
    }, options.retryBaseMs());
  }

  /** Starts competing for the lease; completes at once, the relay publishes once the lease is held. */
  public Future<Void> start() {
    return role.start();
  }

  /** Stops publishing (saving the checkpoint) and gives the lease up. */
  public Future<Void> stop() {
    return role.stop();
  }

  public Role role() {
    return switch (role.state()) {
      case STANDBY -> Role.STANDBY;
      case ACTIVE -> Role.PUBLISHING;
      case STOPPED -> Role.STOPPED;
    };
  }

  /** @return the relay while this process publishes, otherwise {@code null} */
  public EventRelay relay() {
    return relay;
  }
}
