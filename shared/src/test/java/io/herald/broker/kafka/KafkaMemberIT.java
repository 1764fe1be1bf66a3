package io.herald.broker.kafka;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.kafka.KafkaAvailabilityIT.awaitTrue;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.Delivery;
import io.herald.broker.TestEvents;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Kafka consumer-group members: buffering, rebalances, commits, filtering, start position")
@Timeout(value = 90, unit = SECONDS)
class KafkaMemberIT {

  private static Vertx vertx;
  private final List<KafkaBroker> brokers = new ArrayList<>();

  @BeforeAll
  static void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() throws Exception {
    vertx.close().await(20, SECONDS);
    KafkaTestSupport.deleteNamespaces();
  }

  @AfterEach
  void closeBrokers() throws Exception {
    for (KafkaBroker broker : brokers) {
      broker.close().await(20, SECONDS);
    }
  }

  @Test
  @DisplayName("a member stops fetching at its buffer bound and resumes as deliveries are settled")
  void boundsWhatAMemberBuffers() throws Exception {
    KafkaBroker broker = started(KafkaTestSupport.namespace("bound"), new JsonObject().put("maxBufferedPerMember", 10));
    List<Delivery> held = new CopyOnWriteArrayList<>();
    AtomicBoolean acking = new AtomicBoolean();
    Set<Long> handled = ConcurrentHashMap.newKeySet();
    broker.subscribe("slow", List.of("order.*"), d -> {
      if (acking.get()) {
        d.ack();
        handled.add(d.event().position());
      } else {
        held.add(d);
      }
    }).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int p = 1; p <= 200; p++) {
      events.add(new RecordedEvent(p, "order-" + p, orderPaid(Integer.toString(p)))); // one stream each
    }
    broker.publishAll(events).await(30, SECONDS);

    awaitTrue("the member fills its buffer", 30, () -> held.size() >= 10);
    TestEvents.pause(1_500);
    // the bound, plus what one poll already returned and the one after it (max.poll.records = the bound)
    assertThat(held.size()).as("deliveries held while fetching is paused").isBetween(10, 30);

    acking.set(true);
    for (Delivery d : held) {
      d.ack();
      handled.add(d.event().position());
    }
    awaitTrue("every event is handled", 60, () -> handled.size() == 200);
  }

  @Test
  @DisplayName("on a rebalance a member commits what it acked and hands back the rest, which is delivered again")
  void rebalanceCommitsAckedAndRedeliversTheRest() throws Exception {
    String namespace = KafkaTestSupport.namespace("rebal");
    // the held deliveries are handlers that never finish: the rebalance waits for them only this long
    KafkaBroker first = started(namespace, new JsonObject().put("handBackTimeoutMs", 1_000));
    KafkaBroker second = started(namespace, new JsonObject());
    AtomicBoolean rebalanced = new AtomicBoolean();
    List<Delivery> held = new CopyOnWriteArrayList<>();
    List<Long> afterJoin = new CopyOnWriteArrayList<>();
    first.subscribe("ledger", List.of("order.*"), d -> {
      if (rebalanced.get()) {
        afterJoin.add(d.event().position());
        d.ack();
      } else if (d.event().position() <= 5) {
        d.ack();
      } else {
        held.add(d);
      }
    }).await(30, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    for (int p = 1; p <= 10; p++) {
      events.add(new RecordedEvent(p, "order-r" + p, orderPaid("r" + p)));
    }
    first.publishAll(events).await(30, SECONDS);
    awaitTrue("the first member holds positions 6..10", 30, () -> held.size() == 5);
    TestEvents.pause(500); // the acks of 1..5 are committed by now

    rebalanced.set(true);
    second.subscribe("ledger", List.of("order.*"), d -> {
      afterJoin.add(d.event().position());
      d.ack();
    }).await(30, SECONDS);
    awaitTrue("the held events are delivered again", 30, () -> afterJoin.containsAll(List.of(6L, 7L, 8L, 9L, 10L)));
    TestEvents.pause(500);

    assertThat(afterJoin).as("positions delivered after the second member joined").doesNotContain(1L, 2L, 3L, 4L, 5L);
    Future<Void> stale = held.get(0).ack();
    awaitTrue("the stale ack completes", 10, stale::isComplete);
    assertThat(stale.failed()).as("an ack of a delivery handed back by the rebalance fails").isTrue();
    assertThat(stale.cause()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  @DisplayName("a rebalance waits for the handlers still running: a stream's next event never starts beside its previous one")
  void rebalanceWaitsForRunningHandlers() throws Exception {
    String namespace = KafkaTestSupport.namespace("handback");
    KafkaBroker first = started(namespace, new JsonObject());
    KafkaBroker second = started(namespace, new JsonObject());
    Map<String, java.util.concurrent.atomic.AtomicInteger> running = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    List<Delivery> slow = new CopyOnWriteArrayList<>();
    AtomicBoolean release = new AtomicBoolean();
    Map<Long, String> handledBy = new ConcurrentHashMap<>();
    Map<String, List<Long>> order = new ConcurrentHashMap<>();
    java.util.function.BiFunction<String, Delivery, Void> handle = (member, d) -> {
      String stream = d.event().streamId();
      if (running.computeIfAbsent(stream, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet() > 1) {
        overlaps.add(stream + "@" + d.event().position() + " on " + member);
      }
      order.computeIfAbsent(stream, k -> new CopyOnWriteArrayList<>()).add(d.event().position());
      handledBy.put(d.event().position(), member);
      if (d.event().position() <= 8 && !release.get()) {
        slow.add(d);   // still running when the rebalance begins
      } else {
        running.get(stream).decrementAndGet();
        d.ack();
      }
      return null;
    };
    first.subscribe("ordered", List.of("order.*"), d -> handle.apply("first", d)).await(30, SECONDS);
    List<RecordedEvent> firsts = new ArrayList<>();
    List<RecordedEvent> nexts = new ArrayList<>();
    for (int i = 1; i <= 8; i++) {
      firsts.add(new RecordedEvent(i, "order-h" + i, orderPaid("h" + i)));
      nexts.add(new RecordedEvent(10 + i, "order-h" + i, orderShipped("h" + i)));
    }
    first.publishAll(firsts).await(30, SECONDS);
    awaitTrue("the first member is handling every stream's first event", 30, () -> slow.size() == 8);
    first.publishAll(nexts).await(30, SECONDS);   // queued behind them in the first member's lanes

    Future<io.herald.broker.BrokerSubscription> joined = second.subscribe("ordered", List.of("order.*"), d -> handle.apply("second", d));
    try (Admin admin = KafkaTestSupport.admin()) {
      String groupId = namespace + ".ordered";
      awaitTrue("the rebalance has begun", 30, () -> {
        try {
          var state = admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId).state();
          return state != org.apache.kafka.common.ConsumerGroupState.STABLE;
        } catch (Exception e) {
          return false;
        }
      });
    }
    TestEvents.pause(500);   // the rebalance waits on the running handlers meanwhile
    release.set(true);
    for (Delivery d : slow) {
      running.get(d.event().streamId()).decrementAndGet();
      d.ack();
    }
    joined.await(30, SECONDS);
    awaitTrue("every stream's next event is handled", 30, () -> nexts.stream().allMatch(e -> handledBy.containsKey(e.position())));

    assertThat(overlaps).as("events of one stream handled at the same time").isEmpty();
    for (int i = 1; i <= 8; i++) {
      assertThat(order.get("order-h" + i)).as("order-h" + i).containsExactly((long) i, 10L + i);
    }
    assertThat(nexts.stream().map(e -> handledBy.get(e.position())))
        .as("next events taken over by the member that joined").contains("second");
  }

  @Test
  @DisplayName("acks out of order in one partition commit only the contiguous prefix: an earlier unacked event comes back")
  void commitsOnlyTheContiguousPrefix() throws Exception {
    String namespace = KafkaTestSupport.namespace("gap");
    KafkaBroker first = started(namespace, new JsonObject().put("partitions", 1));
    List<Long> firstSaw = new CopyOnWriteArrayList<>();
    first.subscribe("mailer", List.of("order.*"), d -> {
      firstSaw.add(d.event().position());
      if (d.event().position() != 1) {
        d.ack(); // 2 and 3 (other streams, same partition) are acked, 1 is not
      }
    }).await(30, SECONDS);
    first.publishAll(List.of(new RecordedEvent(1, "order-a", orderPaid("a")),
        new RecordedEvent(2, "order-b", orderPaid("b")), new RecordedEvent(3, "order-c", orderPaid("c")))).await(30, SECONDS);
    awaitTrue("all three reach the first member", 30, () -> firstSaw.size() == 3);
    TestEvents.pause(500);
    first.close().await(20, SECONDS);

    KafkaBroker second = started(namespace, new JsonObject().put("partitions", 1));
    List<Long> secondSaw = new CopyOnWriteArrayList<>();
    second.subscribe("mailer", List.of("order.*"), d -> {
      secondSaw.add(d.event().position());
      d.ack();
    }).await(30, SECONDS);

    awaitTrue("the unacked event comes back", 30, () -> secondSaw.contains(1L));
    assertThat(committed(namespace + ".mailer")).as("offsets committed for the group after the second member acked")
        .isNotEmpty();
  }

  @Test
  @DisplayName("records of types the group does not want are not delivered, and its committed position moves past them")
  void skipsOtherTypesAndCommitsPastThem() throws Exception {
    String namespace = KafkaTestSupport.namespace("filter");
    KafkaBroker broker = started(namespace, new JsonObject().put("partitions", 1));
    List<String> types = new CopyOnWriteArrayList<>();
    broker.subscribe("shipping", List.of("order.shipped"), d -> {
      types.add(d.event().type());
      d.ack();
    }).await(30, SECONDS);

    broker.publishAll(List.of(new RecordedEvent(1, "order-f", orderPaid("f")), new RecordedEvent(2, "order-f", orderPaid("f")),
        new RecordedEvent(3, "order-f", orderShipped("f")), new RecordedEvent(4, "order-g", orderPaid("g")))).await(30, SECONDS);
    awaitTrue("the shipped event arrives", 30, () -> types.size() == 1);
    awaitTrue("the group's position passes every record", 30,
        () -> committed(namespace + ".shipping").values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 4);

    assertThat(types).containsExactly("order.shipped");
  }

  @Test
  @DisplayName("a new group starts at the end of its topics; a later member of it continues from what was acked")
  void newGroupStartsAtTheEnd() throws Exception {
    String namespace = KafkaTestSupport.namespace("start");
    KafkaBroker broker = started(namespace, new JsonObject());
    broker.publish(new RecordedEvent(1, "order-s", orderPaid("s"))).await(30, SECONDS); // before the group exists
    List<Long> seen = new CopyOnWriteArrayList<>();
    var subscription = broker.subscribe("late", List.of("order.*"), d -> {
      seen.add(d.event().position());
      d.ack();
    }).await(30, SECONDS);
    broker.publish(new RecordedEvent(2, "order-s", orderShipped("s"))).await(30, SECONDS);
    awaitTrue("the event published after the group was created arrives", 30, () -> seen.contains(2L));
    subscription.close().await(20, SECONDS);
    broker.publish(new RecordedEvent(3, "order-s", orderShipped("s"))).await(30, SECONDS); // while the group has no member

    broker.subscribe("late", List.of("order.*"), d -> {
      seen.add(d.event().position());
      d.ack();
    }).await(30, SECONDS);
    awaitTrue("the event published while the group had no member arrives", 30, () -> seen.contains(3L));
    TestEvents.pause(300);

    assertThat(seen).containsExactly(2L, 3L);
  }

  private KafkaBroker started(String namespace, JsonObject overrides) throws Exception {
    KafkaBroker broker = new KafkaBroker(vertx, KafkaBrokerOptions.fromJson(new JsonObject()
        .put("namespace", namespace).put("redeliveryBaseMs", 10).put("redeliveryCapMs", 50).mergeIn(overrides)),
        BlueprintEvents.registry());
    brokers.add(broker);
    broker.start().await(30, SECONDS);
    return broker;
  }

  private static Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    try (Admin admin = KafkaTestSupport.admin()) {
      return admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot read the offsets of " + groupId, e);
    }
  }
}
