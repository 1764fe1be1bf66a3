package io.herald.broker.support;

import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.TypePatterns;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A group member of a broker that would spread a group's messages over all its readers and so break the order of each
 * stream: only one member of a group reads at a time, the one holding the group's {@link ActiveMemberLease} (kept by
 * a {@link LeaseKeeper}); the others stand by. Each change of role or ownership starts a new generation, and what was
 * read in an older one can no longer be settled: its lane was reset and the broker delivers it again.
 *
 * <p>The adapter says what becoming active starts ({@link #activate}), what standing by or closing gives back
 * ({@link #deactivate}, {@link #handBack}), and how to settle; {@link #leave()} lets the handlers still running finish
 * (the lease is kept meanwhile) before it closes, so the next active member never starts a stream's next message
 * while this one still handles the previous. A lease lost while the member lives (cut off from the lease's store) is
 * handed over without it: the member starts nothing new from its first failed renewal, so its running handlers have
 * at least a third of the lease to finish before anyone else can take the group, and their acks are refused once it
 * stood down (the effectively-once inbox serializes a handler that outlives that on the event's row). Confined to the
 * member's context.
 */
public abstract class ActiveMember extends LaneMember {

  private static final Logger log = LoggerFactory.getLogger(ActiveMember.class);

  /** This member among the group's, in the lease and in logs. */
  protected final String id = "herald-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  /** How long to wait before a failed read or settle is tried again. */
  protected final Backoff retry;
  private final long leaseMs;
  private final long requestTimeoutMs;
  private final List<Long> timers = new ArrayList<>();
  private LeaseKeeper lease;
  private long generation;
  private boolean active;

  /**
   * @param leaseMs          the lease's time to live
   * @param requestTimeoutMs the longest wait for the lease's store
   */
  protected ActiveMember(Vertx vertx, Context context, String group, TypePatterns patterns, DeliveryHandler handler,
                         Settings settings, long leaseMs, long requestTimeoutMs, Backoff retry) {
    super(vertx, context, group, patterns, handler, settings);
    this.leaseMs = leaseMs;
    this.requestTimeoutMs = requestTimeoutMs;
    this.retry = retry;
  }

  /** @return the group's lease, held in this member's name ({@link #id}) */
  protected abstract ActiveMemberLease lease();

  /** Starts reading, in generation {@code generation}: this member now holds the lease. */
  protected abstract void activate(long generation);

  /** Stops reading and gives back what it holds: the lease was lost. The lanes are reset after it. */
  protected abstract void deactivate();

  /** Gives back what it holds as the member closes; the lease is released once the future completes. */
  protected abstract Future<Void> handBack();

  /** Releases what the member opened (a connection of its own), after the lease. */
  protected Future<Void> release() {
    return Future.succeededFuture();
  }

  /**
   * Starts competing for the lease; the first attempt is answered before the future completes, so a first member
   * is active when it does. {@link #onStart()} runs first, on the member's context.
   */
  public final Future<Void> start() {
    Promise<Void> started = Promise.promise();
    OnContext.run(context, () -> {
      onStart();
      lease = new LeaseKeeper(vertx, context, lease(), leaseMs, requestTimeoutMs,
          new LeaseKeeper.Listener() {
            @Override
            public void promoted() {
              promote();
            }

            @Override
            public void demoted(String why) {
              demote(why);
            }

            @Override
            public void doubted(String why) {
              log.warn("{} of group '{}' starts no new handler until its lease is renewed, {}", id, group, why);
              lanes.hold();
            }

            @Override
            public void confirmed() {
              log.info("{} of group '{}' renewed its lease and reads on", id, group);
              lanes.resume();
            }
          });
      lease.start().onComplete(started);
    });
    return started.future();
  }

  /** Runs as the member starts, on its context: its timers ({@link #every}). */
  protected void onStart() {
  }

  /** Runs {@code task} every {@code periodMs} until the member closes. */
  protected final void every(long periodMs, Runnable task) {
    timers.add(vertx.setPeriodic(Math.max(1, periodMs), t -> task.run()));
  }

  /** @return whether this member holds the group's lease */
  public final boolean active() {
    return active;
  }

  /** @return whether this member holds the lease and takes new messages (it is not leaving) */
  protected final boolean reading() {
    return active && !leaving() && !closed();
  }

  protected final long generation() {
    return generation;
  }

  /** @return whether what was read in generation {@code gen} is still this member's to settle */
  protected final boolean owns(long gen) {
    return gen == generation && !closed();
  }

  /** Starts a new generation: what was read before can no longer be settled. */
  protected final long nextGeneration() {
    return ++generation;
  }

  private void promote() {
    if (closed() || active) {
      return;
    }
    active = true;
    log.info("{} of group '{}' is now the active member", id, group);
    activate(++generation);
  }

  private void demote(String why) {
    if (!active) {
      return;
    }
    active = false;
    log.warn("{} of group '{}' stands by, {}; what it had not settled goes back to the group", id, group, why);
    generation++;
    deactivate();
    lanes.reset();
  }

  /** Stops competing: nothing unsettled is acked; the lease is given up so a standby takes over. */
  @Override
  protected final Future<Void> shutDown() {
    active = false;
    generation++;
    timers.forEach(vertx::cancelTimer);
    timers.clear();
    // released after the hand-back, so the next active member finds what was given back already there
    return handBack()
        .transform(ar -> lease == null ? Future.<Void>succeededFuture() : lease.close())
        .transform(ar -> release());
  }

  /**
   * Runs a settling command (ack, dead letter) until it succeeds, again after {@link #retry}'s backoff while its
   * failure is {@code retryable} and the message read in {@code gen} is still this member's: its lane waits meanwhile.
   *
   * @param what the message, for the failure when it was handed back
   */
  protected final Future<Void> settle(long gen, String what, Supplier<Future<Void>> command,
                                      Predicate<Throwable> retryable) {
    Promise<Void> done = Promise.promise();
    OnContext.run(context, () -> attemptSettle(gen, what, command, retryable, done, 1));
    return done.future();
  }

  private void attemptSettle(long gen, String what, Supplier<Future<Void>> command, Predicate<Throwable> retryable,
                             Promise<Void> done, int attempt) {
    if (!owns(gen)) {
      done.fail(new IllegalStateException("the delivery of " + what
          + " was handed back (its member closed or lost the group's lease)"));
      return;
    }
    OnContext.of(context, command.get()).onComplete(ar -> {
      if (ar.succeeded()) {
        done.complete();
      } else if (retryable.test(ar.cause()) && owns(gen)) {
        log.debug("{} of group '{}': settling {} failed, retrying: {}", id, group, what, ar.cause().toString());
        vertx.setTimer(retry.delayMs(attempt), t -> attemptSettle(gen, what, command, retryable, done, attempt + 1));
      } else {
        done.fail(ar.cause());
      }
    });
  }
}
