package io.herald.broker.eventbus;

import io.herald.async.Backoff;
import io.herald.broker.TypePatterns;
import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer group on this node: its unacked events, kept per stream, and its members. Only the stream's
 * head event is ever out (delivered or waiting for redelivery), which is what keeps each stream in order while
 * different streams are handled in parallel. Confined to the broker's context.
 */
final class EventBusGroup {

  private static final Logger log = LoggerFactory.getLogger(EventBusGroup.class);

  private final String name;
  private final EventBusBroker broker;
  private final Vertx vertx;
  private final int maxUnacked;
  private final Backoff redelivery;
  private final Map<String, Lane> lanes = new HashMap<>();
  private final ArrayDeque<Lane> ready = new ArrayDeque<>();
  private final List<EventBusMember> members = new ArrayList<>();
  private final Set<Long> redeliveryTimers = new HashSet<>();
  private TypePatterns patterns;
  private int unacked;
  private int cursor;
  private boolean closed;

  /** The events of one stream not yet acked by this group, oldest first. */
  static final class Lane {
    final String streamId;
    final ArrayDeque<RecordedEvent> events = new ArrayDeque<>();
    int headAttempts;
    boolean out;

    Lane(String streamId) {
      this.streamId = streamId;
    }
  }

  EventBusGroup(EventBusBroker broker, String name, TypePatterns patterns, Vertx vertx, int maxUnacked, Backoff redelivery) {
    this.broker = broker;
    this.name = name;
    this.patterns = patterns;
    this.vertx = vertx;
    this.maxUnacked = maxUnacked;
    this.redelivery = redelivery;
  }

  String name() {
    return name;
  }

  TypePatterns patterns() {
    return patterns;
  }

  void patterns(TypePatterns newPatterns) {
    this.patterns = newPatterns;
  }

  boolean hasMembers() {
    return !members.isEmpty();
  }

  boolean accepts(RecordedEvent event) {
    return patterns.matches(event.type());
  }

  boolean isFull() {
    return unacked >= maxUnacked;
  }

  int maxUnacked() {
    return maxUnacked;
  }

  int unacked() {
    return unacked;
  }

  void enqueue(RecordedEvent event) {
    Lane lane = lanes.computeIfAbsent(event.streamId(), Lane::new);
    lane.events.add(event);
    unacked++;
    if (!lane.out && lane.events.size() == 1) {
      ready.add(lane);
    }
    dispatch();
  }

  EventBusMember join(EventBusMember member) {
    members.add(member);
    dispatch();
    return member;
  }

  /**
   * Removes a member in good order: it takes nothing new, and what it still handles is awaited (up to
   * {@code timeoutMs}) before the rest goes back to the group, so no stream's next event starts on another member
   * beside its previous one.
   */
  Future<Void> leave(EventBusMember member, long timeoutMs) {
    if (!members.contains(member)) {
      return Future.succeededFuture();
    }
    Promise<Void> left = Promise.promise();
    long timer = vertx.setTimer(timeoutMs, t -> {
      if (!left.future().isComplete()) {
        log.warn("group '{}': a leaving member still handles {} events after {} ms (handBackTimeoutMs); they go back to"
            + " the group anyway, so their streams' next events may start beside them", name, member.inFlight(), timeoutMs);
        left.tryComplete();
        leave(member);
      }
    });
    // run apart: the last settle that makes the member idle is still updating its lane
    member.stopTaking(() -> vertx.getOrCreateContext().runOnContext(v -> {
      vertx.cancelTimer(timer);
      if (left.tryComplete()) {
        leave(member);
      }
    }));
    return left.future();
  }

  /** Removes a member at once; what it had not settled goes back to the group. */
  void leave(EventBusMember member) {
    if (!members.remove(member)) {
      return;
    }
    member.close();
    for (EventBusDelivery d : member.takeInFlight()) {
      d.markSettled();
      release(d.lane());
    }
    dispatch();
  }

  /**
   * Records an ack ({@code nackReason == null}) or a nack.
   *
   * @return null when recorded, otherwise why not
   */
  RuntimeException settle(EventBusDelivery delivery, Throwable nackReason) {
    if (closed) {
      return new IllegalStateException("consumer group '" + name + "' was deleted");
    }
    if (delivery.isSettled()) {
      return new IllegalStateException("delivery of position " + delivery.event().position() + " to group '" + name
          + "' was already settled");
    }
    delivery.markSettled();
    delivery.member().settled(delivery);
    Lane lane = delivery.lane();
    if (nackReason == null) {
      lane.events.poll();
      lane.headAttempts = 0;
      unacked--;
      if (lane.events.isEmpty()) {
        lane.out = false;
        lanes.remove(lane.streamId);
      } else {
        release(lane);
      }
    } else {
      scheduleRedelivery(lane, delivery.attempt());
    }
    dispatch();
    return null;
  }

  void close() {
    closed = true;
    for (long timer : redeliveryTimers) {
      vertx.cancelTimer(timer);
    }
    redeliveryTimers.clear();
    for (EventBusMember m : members) {
      m.close();
    }
    members.clear();
  }

  // the lane stays out while it waits, so no later event of its stream overtakes the nacked one
  private void scheduleRedelivery(Lane lane, int attempt) {
    long[] id = new long[1];
    id[0] = vertx.setTimer(redelivery.delayMs(attempt), t -> {
      redeliveryTimers.remove(id[0]);
      if (!closed) {
        release(lane);
        dispatch();
      }
    });
    redeliveryTimers.add(id[0]);
  }

  private void release(Lane lane) {
    lane.out = false;
    ready.add(lane);
  }

  private void dispatch() {
    while (!closed && !ready.isEmpty()) {
      EventBusMember member = nextMemberWithCredit();
      if (member == null) {
        return;
      }
      Lane lane = ready.poll();
      lane.out = true;
      lane.headAttempts++;
      member.deliver(new EventBusDelivery(broker, this, member, lane, lane.events.peek(), lane.headAttempts));
    }
  }

  private EventBusMember nextMemberWithCredit() {
    int n = members.size();
    for (int i = 0; i < n; i++) {
      int index = (cursor + i) % n;
      EventBusMember m = members.get(index);
      if (m.hasCredit()) {
        cursor = (index + 1) % n;
        return m;
      }
    }
    return null;
  }
}
