package io.herald.broker.lanes;

import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.Delivery;
import io.herald.broker.DeliveryHandler;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer side every broker adapter shares: messages of one consumer-group member, dispatched to its
 * {@link DeliveryHandler} one stream at a time. Brokers deliver a queue, a partition or a stream in order, but
 * that order interleaves many aggregates; lanes let different streams be handled in parallel (up to
 * {@code maxInFlight}) while each stream stays strictly sequential:
 * <ul>
 *   <li>a stream's next message is handed out only after the previous one was acked (with the broker) or
 *       dead-lettered;</li>
 *   <li>a nack redelivers the same message locally after a backoff, with the next attempt number, before anything
 *       later of its stream; the broker is not involved, so its own order cannot be disturbed by a requeue;</li>
 *   <li>{@link #close()} hands back everything unsettled: nothing is acked, so the broker redelivers it to
 *       another member or to the next subscriber.</li>
 *   <li>{@link #drain()} lets the handlers still running finish before a hand-back (a rebalance, a member leaving its
 *       group), so the next owner of a stream never starts its next message while the previous one is still being
 *       handled.</li>
 * </ul>
 * Confined to one context: call every method on it (the adapter's consumer context).
 */
public final class StreamLanes {

  private static final Logger log = LoggerFactory.getLogger(StreamLanes.class);

  private final Vertx vertx;
  private final Context context;
  private final String group;
  private final DeliveryHandler handler;
  private final int maxInFlight;
  private final Backoff redelivery;
  private final Map<String, Deque<LaneMessage>> lanes = new HashMap<>();
  private final Set<String> ready = new LinkedHashSet<>();
  private final Set<Long> timers = new HashSet<>();
  private final Deque<LaneDelivery> due = new ArrayDeque<>();
  private final List<Runnable> drainListeners = new ArrayList<>();
  private int inFlight;
  private int buffered;
  private boolean closed;
  private long generation;
  private int handling;          // handed to the handler and not settled by it yet
  private boolean draining;
  private boolean held;          // the member's right to read is in doubt: start nothing new
  private Promise<Void> drained;
  private int recording;         // acks sent to the broker by settled handlers, not answered yet
  private Promise<Void> quiet;   // a bounded drain: waits for those answers too

  /**
   * @param context     where the handler is called and where every method of this object must be called
   * @param group       the consumer group, for {@link Delivery#group()} and logs
   * @param maxInFlight most deliveries handed out and not settled at a time (streams handled in parallel)
   * @param redelivery  delay before a nacked message is handed out again
   */
  public StreamLanes(Vertx vertx, Context context, String group, DeliveryHandler handler, int maxInFlight,
                     Backoff redelivery) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.group = Objects.requireNonNull(group, "group");
    this.handler = Objects.requireNonNull(handler, "handler");
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
    }
    this.maxInFlight = maxInFlight;
    this.redelivery = Objects.requireNonNull(redelivery, "redelivery");
  }

  /** Queues a message read from the broker behind the earlier messages of its lane. */
  public void offer(LaneMessage message) {
    Objects.requireNonNull(message, "message");
    if (closed) {
      return; // not acked: the broker redelivers it
    }
    Deque<LaneMessage> lane = lanes.computeIfAbsent(message.lane(), k -> new ArrayDeque<>());
    lane.addLast(message);
    buffered++;
    if (lane.size() == 1) {
      ready.add(message.lane());
    }
    dispatch();
  }

  /** @return messages received and not yet settled (queued, in flight or waiting for a redelivery) */
  public int buffered() {
    return buffered;
  }

  /** @return deliveries handed to the handler and not settled yet */
  public int inFlight() {
    return inFlight;
  }

  /**
   * Runs {@code listener} each time a message is settled, so an adapter that paused fetching at a bound of
   * {@link #buffered()} can resume.
   */
  public void onSettled(Runnable listener) {
    drainListeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Drops every queued and in-flight message without settling it (the broker redelivers them) and stops
   * dispatching; deliveries handed out earlier then fail to settle with {@link IllegalStateException}.
   */
  public void close() {
    closed = true;
    reset();
  }

  /**
   * Stops handing out messages and waits for the handlers still running: their acks still count. Call before
   * handing the member's messages back (a rebalance), then {@link #reset()} or {@link #close()}.
   *
   * @return completes once every delivery handed out has been settled by its handler (acked, nacked or
   *     dead-lettered)
   */
  public Future<Void> drain() {
    draining = true;
    if (handling == 0) {
      return Future.succeededFuture();
    }
    if (drained == null) {
      drained = Promise.promise();
    }
    return drained.future();
  }

  /**
   * {@link #drain()}, bounded, and also waiting until the broker answered the acks of those handlers: for a member
   * leaving its group, which closes its connection next and must hand back even when a handler hangs.
   *
   * @return true once every running handler settled, false when some still ran after {@code timeoutMs} (logged: their
   *     streams' next messages may then start beside them on the next owner)
   */
  public Future<Boolean> drain(long timeoutMs) {
    draining = true;
    if (handling == 0 && recording == 0) {
      return Future.succeededFuture(true);
    }
    if (quiet == null) {
      quiet = Promise.promise();
    }
    Future<Void> drainedNow = quiet.future();
    Promise<Boolean> outcome = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> {
      if (outcome.tryComplete(false)) {
        log.warn("group '{}': {} handlers still running {} ms after the member began to leave; handing their messages"
            + " back anyway (handBackTimeoutMs), so their streams' next messages may start beside them", group, handling,
            timeoutMs);
      }
    });
    drainedNow.onComplete(ar -> {
      vertx.cancelTimer(timer);
      outcome.tryComplete(true);
    });
    return outcome.future();
  }

  /**
   * Hands out nothing new until {@link #resume()}: the handlers already running go on and their acks count. For a
   * member whose lease is in doubt, so that no handler starts that might still run when another member takes over.
   */
  public void hold() {
    held = true;
  }

  /** Hands out again what {@link #hold()} kept back. */
  public void resume() {
    if (held) {
      held = false;
      dispatch();
    }
  }

  /** @return whether {@link #hold()} keeps new deliveries back */
  public boolean held() {
    return held;
  }

  /** @return deliveries handed to the handler that it has not settled yet */
  public int handling() {
    return handling;
  }

  /**
   * Forgets every queued and in-flight message without settling it, but keeps dispatching what is offered
   * next: for an adapter whose connection dropped and whose broker will redeliver what was unacked.
   */
  public void reset() {
    generation++;
    handling = 0;
    draining = false;
    held = false;
    if (drained != null) {
      drained.tryComplete();
      drained = null;
    }
    recording = 0;
    if (quiet != null) {
      quiet.tryComplete();
      quiet = null;
    }
    for (long timer : timers) {
      vertx.cancelTimer(timer);
    }
    timers.clear();
    due.clear();
    lanes.clear();
    ready.clear();
    inFlight = 0;
    buffered = 0;
  }

  private void dispatch() {
    if (draining || held) {
      return;   // a hand-back is coming, or may be: only what is already running may finish
    }
    // redeliveries first: each is the head of its lane, and its lane waits for it
    while (!closed && inFlight < maxInFlight && !due.isEmpty()) {
      LaneDelivery nacked = due.pollFirst();
      hand(nacked.source(), nacked.attempt() + 1);
    }
    while (!closed && inFlight < maxInFlight && !ready.isEmpty()) {
      String key = ready.iterator().next();
      ready.remove(key);
      Deque<LaneMessage> lane = lanes.get(key);
      hand(lane.peekFirst(), lane.peekFirst().attempt());
    }
  }

  private void hand(LaneMessage message, int attempt) {
    inFlight++;
    handling++;
    LaneDelivery delivery = new LaneDelivery(this, message, attempt, generation);
    try {
      handler.handle(delivery);
    } catch (RuntimeException e) {
      log.warn("group '{}' handler threw on {}; it will be redelivered: {}", group, delivery, e.toString());
      if (!delivery.settled) {
        delivery.nack(e);
      }
    }
  }

  String group() {
    return group;
  }

  // -- settling, called by LaneDelivery on any thread

  Future<Void> settle(LaneDelivery delivery, Outcome outcome, Throwable reason, int attempts) {
    Promise<Void> done = Promise.promise();
    Context caller = Vertx.currentContext();
    Runnable action = () -> {
      if (delivery.generation != generation || closed) {
        delivery.settled = true;
        done.fail(new IllegalStateException(delivery + " was handed back (its subscription closed or reconnected)"));
        return;
      }
      if (delivery.settled) {
        done.fail(new IllegalStateException(delivery + " was already settled"));
        return;
      }
      delivery.settled = true;
      switch (outcome) {
        case ACK -> {
          recording++;   // first: the ack is still to be answered when the handler counts as done
          handled();
          finish(delivery, delivery.source().ack(), done, true);
        }
        // still being handled until the dead-letter destination takes it: a drain waits for it
        case DEAD_LETTER -> moveToDeadLetters(delivery, reason, attempts, done);
        case NACK -> {
          handled();
          scheduleRedelivery(delivery);
          done.complete();
        }
        default -> throw new IllegalStateException(String.valueOf(outcome));
      }
    };
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
    return OnContext.of(caller, done.future());
  }

  // the lane moves on once the broker has the ack; a failed ack leaves the message to the broker's redelivery
  private void finish(LaneDelivery delivery, Future<Void> brokerSettled, Promise<Void> done, boolean recorded) {
    long gen = generation;
    brokerSettled.onComplete(ar -> context.runOnContext(v -> {
      if (recorded && gen == generation) {
        recording--;
      }
      if (gen == generation && !closed) {
        Deque<LaneMessage> lane = lanes.get(delivery.source().lane());
        if (lane != null && lane.peekFirst() == delivery.source()) {
          lane.pollFirst();
          buffered--;
          inFlight--;
          if (lane.isEmpty()) {
            lanes.remove(delivery.source().lane());
          } else {
            ready.add(delivery.source().lane());
          }
        }
        drainListeners.forEach(Runnable::run);
        dispatch();
      }
      if (ar.failed()) {
        done.fail(ar.cause() instanceof BrokerException ? ar.cause()
            : new BrokerException("the broker did not record the settlement of " + delivery + ": " + ar.cause().getMessage(), ar.cause()));
      } else {
        done.complete();
      }
      if (recorded) {
        quietened();
      }
    }));
  }

  // a move the broker did not take leaves the message at the head of its lane, unsettled: neither acked nor lost,
  // and the caller may try the move again (its stream waits meanwhile)
  private void moveToDeadLetters(LaneDelivery delivery, Throwable reason, int attempts, Promise<Void> done) {
    long gen = generation;
    Future<Void> moved;
    try {
      moved = delivery.source().deadLetter(reason, attempts);
    } catch (RuntimeException e) {
      moved = Future.failedFuture(e);
    }
    moved.onComplete(ar -> context.runOnContext(v -> {
      if (ar.succeeded() || gen != generation || closed) {
        if (gen == generation) {
          handled();
        }
        finish(delivery, ar.succeeded() ? Future.succeededFuture() : Future.failedFuture(ar.cause()), done, false);
        return;
      }
      delivery.settled = false;
      done.fail(ar.cause() instanceof BrokerException ? ar.cause()
          : new BrokerException("the broker did not take the dead letter of " + delivery + ": " + ar.cause().getMessage(), ar.cause()));
    }));
  }

  // a delivery's handler is done with it; a drain waiting for the last one completes
  private void handled() {
    handling--;
    if (draining && handling == 0 && drained != null) {
      drained.tryComplete();
      drained = null;
    }
    quietened();
  }

  // last, as whoever waits for it may close this object at once
  private void quietened() {
    if (quiet != null && handling == 0 && recording == 0) {
      Promise<Void> waiting = quiet;
      quiet = null;
      waiting.tryComplete();
    }
  }

  private void scheduleRedelivery(LaneDelivery delivery) {
    inFlight--;
    long gen = generation;
    long[] id = new long[1];
    id[0] = vertx.setTimer(redelivery.delayMs(delivery.attempt()), t -> {
      timers.remove(id[0]);
      if (gen == generation && !closed) {
        due.addLast(delivery);
        dispatch();
      }
    });
    timers.add(id[0]);
    dispatch();
  }

  enum Outcome { ACK, NACK, DEAD_LETTER }
}
