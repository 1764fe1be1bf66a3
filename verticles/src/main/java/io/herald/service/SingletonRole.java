package io.herald.service;

import io.herald.lease.LeasedRole;
import io.vertx.core.Future;

/**
 * Work of a service that must run in one process at a time (a projection writer, the saga starter, the deadline
 * sweeper). On a store only this process sees, the duty simply runs, and a failed start fails the service's start.
 * On a shared store it runs under the role's lease: the service starts at once on every node, the duty only on the
 * node holding the lease, and it moves to another node running the service when its holder dies.
 */
public final class SingletonRole {

  private final LeasedRole leased;
  private final LeasedRole.Duty duty;
  private volatile boolean running;

  private SingletonRole(LeasedRole leased, LeasedRole.Duty duty) {
    this.leased = leased;
    this.duty = duty;
  }

  /**
   * @param role the role's name, the same on every node ({@code projection:orders}, {@code saga:saga})
   * @return completes once the duty runs (one process) or once the node competes for the lease (shared store)
   */
  public static Future<SingletonRole> start(ServiceContext ctx, String role, LeasedRole.Duty duty) {
    if (ctx.roles().fenceKey(role) == null) {
      SingletonRole local = new SingletonRole(null, duty);
      return duty.start(0).map(v -> {
        local.running = true;
        return local;
      });
    }
    LeasedRole leased = new LeasedRole(ctx.vertx(), role, ctx.roles().lease(role), duty, ctx.roles().retryMs());
    return leased.start().map(v -> new SingletonRole(leased, duty));
  }

  /** @return whether the duty runs in this process now */
  public boolean active() {
    return leased == null ? running : leased.state() == LeasedRole.State.ACTIVE;
  }

  /** Stops the duty and, on a shared store, gives the lease up. */
  public Future<Void> stop() {
    if (leased == null) {
      running = false;
      return duty.stop();
    }
    return leased.stop();
  }
}
