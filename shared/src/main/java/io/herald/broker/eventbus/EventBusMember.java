package io.herald.broker.eventbus;

import io.herald.broker.DeliveryHandler;
import io.herald.broker.support.GroupMember;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a consumer group: its handler, the context it runs on, and the deliveries it has not settled.
 * Bookkeeping happens on the broker's context; the handler runs on the member's own context.
 */
final class EventBusMember implements GroupMember {

  private static final Logger log = LoggerFactory.getLogger(EventBusMember.class);

  private final Context context;
  private final DeliveryHandler handler;
  private final int maxInFlight;
  private final Set<EventBusDelivery> inFlight = new LinkedHashSet<>();
  private volatile boolean closed;
  private volatile boolean leaving;
  private final Function<EventBusMember, Future<Void>> leaveGroup;
  private Runnable whenIdle;

  /** @param leaveGroup removes the member from its group in good order */
  EventBusMember(Context context, DeliveryHandler handler, int maxInFlight,
                 Function<EventBusMember, Future<Void>> leaveGroup) {
    this.context = context;
    this.handler = handler;
    this.maxInFlight = maxInFlight;
    this.leaveGroup = leaveGroup;
  }

  @Override
  public Future<Void> leave() {
    return leaveGroup.apply(this);
  }

  boolean hasCredit() {
    return !closed && !leaving && inFlight.size() < maxInFlight;
  }

  // always a separate task, so a handler that settles synchronously never re-enters the group's dispatch loop
  void deliver(EventBusDelivery delivery) {
    inFlight.add(delivery);
    context.runOnContext(v -> {
      if (closed || delivery.isSettled()) {
        return;
      }
      try {
        handler.handle(delivery);
      } catch (RuntimeException e) {
        log.warn("handler of group '{}' threw on {}; nacking it", delivery.group(), delivery, e);
        delivery.nack(e);
      }
    });
  }

  void settled(EventBusDelivery delivery) {
    inFlight.remove(delivery);
    if (inFlight.isEmpty() && whenIdle != null) {
      Runnable idle = whenIdle;
      whenIdle = null;
      idle.run();
    }
  }

  /** Takes no new deliveries, and runs {@code idle} once every delivery it has was settled (at once when none). */
  void stopTaking(Runnable idle) {
    leaving = true;
    if (inFlight.isEmpty()) {
      idle.run();
    } else {
      whenIdle = idle;
    }
  }

  int inFlight() {
    return inFlight.size();
  }

  List<EventBusDelivery> takeInFlight() {
    List<EventBusDelivery> taken = new ArrayList<>(inFlight);
    inFlight.clear();
    return taken;
  }

  /** Stops handing out; the group takes back what it had not settled (when the group closes, with everything). */
  @Override
  public Future<Void> close() {
    closed = true;
    return Future.succeededFuture();
  }
}
