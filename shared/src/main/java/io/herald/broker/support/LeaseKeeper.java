package io.herald.broker.support;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Objects;

/**
 * Keeps a member competing for its group's {@link ActiveMemberLease}: every third of the lease it takes or extends
 * it, and tells the member when it becomes the active one and when it stops being it. A renewal that fails because
 * the store is unreachable is tolerated while at least a third of the lease is left: nobody else can take it before
 * it expires, so a short outage does not hand back everything in flight. Meanwhile the lease is in doubt, and the
 * member is told so: what it starts then could still run when another member takes the group over. Confined to the
 * member's context.
 */
public final class LeaseKeeper {

  /** What the member does when it becomes active, and when it stops (with why, for the log). */
  public interface Listener {

    void promoted();

    void demoted(String why);

    /** A renewal failed while the lease was held: it may expire before the next one succeeds. */
    default void doubted(String why) {
    }

    /** A renewal succeeded again after {@link #doubted}: the lease is held for a whole time to live. */
    default void confirmed() {
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final ActiveMemberLease lease;
  private final long leaseMs;
  private final long requestTimeoutMs;
  private final Listener listener;
  private long timer = -1;
  private boolean active;
  private boolean closed;
  private boolean asking;
  private boolean doubted;
  private long expiresAt;

  /**
   * @param leaseMs          the lease's time to live
   * @param requestTimeoutMs the longest wait for the store (capped at a third of the lease)
   */
  public LeaseKeeper(Vertx vertx, Context context, ActiveMemberLease lease, long leaseMs, long requestTimeoutMs,
      Listener listener) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.lease = Objects.requireNonNull(lease, "lease");
    this.leaseMs = leaseMs;
    this.requestTimeoutMs = requestTimeoutMs;
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** @return whether this member holds the lease and reads for the group */
  public boolean active() {
    return active;
  }

  /**
   * Starts competing at once, then every third of the lease; on the member's context.
   *
   * @return completes (never fails) once the first attempt was answered, so a first member is active when it returns
   */
  public Future<Void> start() {
    timer = vertx.setPeriodic(third(), t -> tryLease());
    return tryLease();
  }

  /** Stops competing and gives the lease up when held; on the member's context. The future never fails. */
  public Future<Void> close() {
    boolean wasActive = active;
    closed = true;
    active = false;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return wasActive ? lease.release() : Future.succeededFuture();
  }

  private long third() {
    return Math.max(100, leaseMs / 3);
  }

  private Future<Void> tryLease() {
    if (closed || asking) {
      return Future.succeededFuture();   // a slow answer is not asked again over itself
    }
    asking = true;
    long third = third();
    long sentAt = System.nanoTime();
    return lease.hold(Math.min(requestTimeoutMs, third)).transform(ar -> {
      asking = false;
      if (closed) {
        return Future.succeededFuture();
      }
      if (ar.succeeded()) {
        if (ar.result()) {
          expiresAt = sentAt + leaseMs * 1_000_000L;
          if (!active) {
            active = true;
            doubted = false;
            listener.promoted();
          } else if (doubted) {
            doubted = false;
            listener.confirmed();
          }
        } else if (active) {
          active = false;
          listener.demoted("another member holds the lease");
        }
      } else if (active && System.nanoTime() >= expiresAt - third * 1_000_000L) {
        active = false;
        listener.demoted("cannot renew the lease: " + ar.cause().getMessage());
      } else if (active && !doubted) {
        doubted = true;
        listener.doubted("cannot renew the lease: " + ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }
}
