package io.herald.broker.redis;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.userRegistered;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.broker.Delivery;
import io.herald.broker.TestEvents;
import io.herald.event.RecordedEvent;
import io.herald.testing.TcpProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Redis broker groups: one active member, takeover, group birth, buffering bound")
@Timeout(value = 60, unit = SECONDS)
class RedisBrokerGroupsIT extends RedisTestSupport {

  @Test
  @DisplayName("only the lease holder receives; when it leaves (its hung handler outlasting handBackTimeoutMs), a standby"
      + " gets what it left unsettled first, in order")
  void standbyTakesOverWhenTheActiveMemberLeaves() throws Exception {
    RedisBroker broker = started(o -> o.put("handBackTimeoutMs", 500));
    List<Delivery> first = new CopyOnWriteArrayList<>();
    List<Delivery> second = new CopyOnWriteArrayList<>();
    BrokerSubscription active = broker.subscribe("picker", List.of("order.*"), d -> {
      first.add(d);
      if (d.event().position() == 1) {
        d.ack();
      } // position 2 is held: later events of its stream wait
    }).await(10, SECONDS);
    await("the first member holds the lease", 10, () -> leaseHolder() != null);
    broker.subscribe("picker", List.of("order.*"), d -> {
      second.add(d);
      d.ack();
    }).await(10, SECONDS);
    List<RecordedEvent> events = List.of(new RecordedEvent(1, "order-a", orderPaid("a")),
        new RecordedEvent(2, "order-a", orderShipped("a")), new RecordedEvent(3, "order-a", orderPaid("a")));
    broker.publishAll(events).await(10, SECONDS);
    await("the first member holds position 2", 10, () -> first.size() == 2);
    TestEvents.pause(500);
    assertThat(second).as("what the standby received while the other member was active").isEmpty();

    active.close().await(10, SECONDS);
    await("the standby handled the rest", 20, () -> second.size() == 2);

    assertThat(second.stream().map(d -> d.event().position()).toList()).containsExactly(2L, 3L);
    assertThat(second.get(0).attempt()).isEqualTo(2);
    assertThat(first).hasSize(2);
  }

  @Test
  @DisplayName("a member cut off from Redis stops; after its lease expires another claims its pending entries, in order")
  void aCutOffMemberIsReplacedAfterItsLeaseExpires() throws Exception {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", RedisBrokerIT.PORT).await(5, SECONDS);
    try {
      RedisBroker isolated = started("127.0.0.1", proxy.port(), o -> o);
      List<Delivery> lost = new CopyOnWriteArrayList<>();
      isolated.subscribe("packer", List.of("order.*"), lost::add).await(10, SECONDS); // never settles
      await("the proxied member holds the lease", 10, () -> leaseHolder() != null);
      RedisBroker healthy = started(o -> o);
      List<String> taken = new CopyOnWriteArrayList<>();
      healthy.subscribe("packer", List.of("order.*"), d -> {
        taken.add(d.event().position() + "#" + d.attempt());
        d.ack();
      }).await(10, SECONDS);
      healthy.publishAll(List.of(new RecordedEvent(1, "order-b", orderPaid("b")),
          new RecordedEvent(2, "order-b", orderShipped("b")))).await(10, SECONDS);
      await("the proxied member got the first event", 10, () -> lost.size() == 1);

      proxy.cut();
      await("the other member took both events over", 30, () -> taken.size() == 2);

      assertThat(taken.get(0)).isEqualTo("1#2");
      assertThat(taken.get(1)).startsWith("2#");
      assertThat(lost).hasSize(1);
      await("nothing stays pending", 10, () -> RedisBrokerBindingIT.pending(namespace + ".order", namespace + ".packer") == 0);
    } finally {
      proxy.close().await(5, SECONDS);
    }
  }

  @Test
  @DisplayName("a group gets every event added after its birth, on streams created later too, and none from before")
  void groupBirthCoversStreamsCreatedLater() throws Exception {
    RedisBroker broker = started(o -> o.put("discoveryIntervalMs", 2_000));
    RecordedEvent before = new RecordedEvent(1, "order-c", orderPaid("c"));
    broker.publish(before).await(10, SECONDS);
    TestEvents.pause(20); // entries of the birth's own millisecond count as after it
    List<RecordedEvent> got = new CopyOnWriteArrayList<>();
    broker.subscribe("ledger", List.of("*"), d -> {
      got.add(d.event());
      d.ack();
    }).await(10, SECONDS);
    // "user" has no stream yet: its events land before the member can have found it
    List<RecordedEvent> after = List.of(new RecordedEvent(2, "user-u", userRegistered("u")),
        new RecordedEvent(3, "order-c", orderShipped("c")), new RecordedEvent(4, "user-u", userRegistered("u")));
    broker.publishAll(after).await(10, SECONDS);

    await("every event published after the group's birth arrives", 20, () -> got.size() >= 3);
    TestEvents.pause(300);
    assertThat(got).containsExactlyInAnyOrderElementsOf(after);
    assertThat(TestEvents.positionsByStream(got).get("user-u")).containsExactly(2L, 4L);
  }

  @Test
  @DisplayName("a later subscriber of a group continues from what the group acked, with what arrived meanwhile")
  void laterSubscriberContinuesFromTheAckedPosition() throws Exception {
    RedisBroker broker = started(o -> o);
    List<RecordedEvent> early = new CopyOnWriteArrayList<>();
    BrokerSubscription first = broker.subscribe("mailer", List.of("order.*"), d -> {
      early.add(d.event());
      d.ack();
    }).await(10, SECONDS);
    broker.publishAll(List.of(new RecordedEvent(1, "order-d", orderPaid("d")),
        new RecordedEvent(2, "order-d", orderShipped("d")))).await(10, SECONDS);
    await("the first two are handled", 10, () -> early.size() == 2);
    TestEvents.pause(200);
    first.close().await(10, SECONDS);
    List<RecordedEvent> meanwhile = List.of(new RecordedEvent(3, "order-d", orderPaid("d")),
        new RecordedEvent(4, "order-e", orderPaid("e")));
    broker.publishAll(meanwhile).await(10, SECONDS);

    List<RecordedEvent> late = new CopyOnWriteArrayList<>();
    broker.subscribe("mailer", List.of("order.*"), d -> {
      late.add(d.event());
      d.ack();
    }).await(10, SECONDS);
    await("the events published meanwhile arrive", 20, () -> late.size() >= 2);
    TestEvents.pause(300);

    assertThat(late).containsExactlyInAnyOrderElementsOf(meanwhile);
  }

  @Test
  @DisplayName("reading pauses at maxBufferedPerMember (Redis keeps the rest) and resumes as deliveries settle")
  void readingPausesAtTheBufferBound() throws Exception {
    RedisBroker broker = started(o -> o.put("maxBufferedPerMember", 10).put("maxInFlightPerMember", 100));
    List<Delivery> held = new CopyOnWriteArrayList<>();
    AtomicInteger handled = new AtomicInteger();
    AtomicInteger unsettled = new AtomicInteger();
    AtomicInteger mostUnsettled = new AtomicInteger();
    boolean[] release = {false};
    broker.subscribe("slow", List.of("order.*"), d -> {
      mostUnsettled.accumulateAndGet(unsettled.incrementAndGet(), Math::max);
      if (release[0]) {
        unsettled.decrementAndGet();
        handled.incrementAndGet();
        d.ack();
      } else {
        held.add(d);
      }
    }).await(10, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int i = 1; i <= 60; i++) {
      events.add(new RecordedEvent(i, "order-" + i, orderPaid(String.valueOf(i)))); // 60 streams: no lane waits
    }
    broker.publishAll(events).await(10, SECONDS);
    await("the member holds its bound", 10, () -> held.size() == 10);
    TestEvents.pause(1_500);

    assertThat(held).hasSize(10);
    assertThat(RedisBrokerBindingIT.pending(namespace + ".order", namespace + ".slow"))
        .as("entries read from Redis and not acked").isEqualTo(10);

    release[0] = true;
    for (Delivery d : held) {
      unsettled.decrementAndGet();
      handled.incrementAndGet();
      d.ack();
    }
    await("every event is handled", 20, () -> handled.get() == 60);
    assertThat(mostUnsettled.get()).isLessThanOrEqualTo(10);
  }

  @Test
  @DisplayName("entries of types the group does not match are acked without being delivered")
  void unmatchedTypesAreAckedNotDelivered() throws Exception {
    RedisBroker broker = started(o -> o);
    List<RecordedEvent> got = new CopyOnWriteArrayList<>();
    broker.subscribe("welcome", List.of("user.*"), d -> {
      got.add(d.event());
      d.ack();
    }).await(10, SECONDS);
    RecordedEvent user = new RecordedEvent(3, "user-w", userRegistered("w"));
    broker.publishAll(List.of(new RecordedEvent(1, "order-w", orderPaid("w")),
        new RecordedEvent(2, "order-w", orderShipped("w")), user)).await(10, SECONDS);

    await("the user event arrives", 20, () -> got.size() == 1);
    await("no order entry stays pending", 10,
        () -> RedisBrokerBindingIT.pending(namespace + ".order", namespace + ".welcome") == 0);
    TestEvents.pause(300);
    assertThat(got).containsExactly(user);
  }

  private String leaseHolder() {
    var reply = get(raw.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.GET)
        .arg(namespace + ".lease.picker")));
    var packer = get(raw.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.GET)
        .arg(namespace + ".lease.packer")));
    return reply != null ? reply.toString() : packer != null ? packer.toString() : null;
  }
}
