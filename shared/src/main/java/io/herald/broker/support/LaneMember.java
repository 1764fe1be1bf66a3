package io.herald.broker.support;

import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.TypePatterns;
import io.herald.broker.lanes.StreamLanes;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * A group member that hands what it reads to {@link StreamLanes} of its own, on its own context. {@link #leave()} hands
 * out nothing more and lets the handlers still running finish (up to {@code handBackTimeoutMs}) before it closes, so
 * whoever reads the group next never starts a stream's next message while this member still handles the previous;
 * {@link #close()} closes the lanes and then has the adapter {@link #shutDown()}, once. Confined to the member's
 * context.
 */
public abstract class LaneMember implements GroupMember {

  /**
   * How a member's lanes run, from its adapter's options.
   *
   * @param maxInFlight       how many streams are handled at once
   * @param redelivery        how long a nacked message waits before it is handed out again
   * @param handBackTimeoutMs how long leaving waits for the handlers still running
   */
  public record Settings(int maxInFlight, Backoff redelivery, long handBackTimeoutMs) {
  }

  protected final Vertx vertx;
  protected final Context context;
  protected final String group;
  protected final TypePatterns patterns;
  protected final StreamLanes lanes;
  private final long handBackTimeoutMs;
  private final Promise<Void> closed = Promise.promise();
  private Future<Void> leaving;
  private boolean closing;

  protected LaneMember(Vertx vertx, Context context, String group, TypePatterns patterns, DeliveryHandler handler,
                       Settings settings) {
    this.vertx = vertx;
    this.context = context;
    this.group = group;
    this.patterns = patterns;
    this.handBackTimeoutMs = settings.handBackTimeoutMs();
    this.lanes = new StreamLanes(vertx, context, group, handler, settings.maxInFlight(), settings.redelivery());
  }

  public final String group() {
    return group;
  }

  /** @return whether the member is closed, or closing */
  protected final boolean closed() {
    return closing;
  }

  /** @return whether the member is leaving: its lanes hand out nothing more */
  protected final boolean leaving() {
    return leaving != null;
  }

  @Override
  public final Future<Void> leave() {
    Context caller = Vertx.currentContext();
    Promise<Void> left = Promise.promise();
    OnContext.run(context, () -> {
      if (leaving == null) {
        leaving = closing ? close() : lanes.drain(handBackTimeoutMs).transform(ar -> close());
      }
      leaving.onComplete(left);
    });
    return OnContext.of(caller, left.future());
  }

  @Override
  public final Future<Void> close() {
    Context caller = Vertx.currentContext();
    OnContext.run(context, () -> {
      if (closing) {
        return;
      }
      closing = true;
      lanes.close();
      Future<Void> down;
      try {
        down = shutDown();
      } catch (RuntimeException e) {
        down = Future.failedFuture(e);
      }
      down.onComplete(ar -> closed.tryComplete());
    });
    return OnContext.of(caller, closed.future());
  }

  /** Releases what the member holds once its lanes are closed (nothing unsettled is acked); runs once. */
  protected abstract Future<Void> shutDown();
}
