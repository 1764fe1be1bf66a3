package io.herald.relay;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.EventConsumers;
import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.lease.pg.PgRoleLease;
import io.herald.store.Checkpoint;
import io.herald.store.CheckpointFencedException;
import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two "processes" (two Vert.x instances, each with its own store connection, broker and relay) on one database:
 * only the lease holder publishes, and when its database session dies the other takes over from the checkpoint,
 * fencing the old holder off the checkpoint with the lease's epoch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Relays sharing one store")
class LeasedRelayIT {

  private final FreshSchema schema = new FreshSchema("lease_it");
  private Vertx first;
  private Vertx second;
  private PgEventStore firstStore;
  private PgEventStore secondStore;

  @BeforeAll
  void setUp() {
    first = Vertx.vertx();
    second = Vertx.vertx();
    EventCodecs.register(first.eventBus(), BlueprintEvents.registry());
    EventCodecs.register(second.eventBus(), BlueprintEvents.registry());
    firstStore = schema.connect(first, BlueprintEvents.registry());
    secondStore = schema.connect(second, BlueprintEvents.registry());
  }

  @AfterAll
  void tearDown() {
    Futures.await(secondStore.close());
    Futures.await(second.close());
    schema.drop();
  }

  @Test
  @DisplayName("only the lease holder publishes; when its process dies the other publishes everything left, nothing is skipped")
  void oneRelayPublishesAndTheOtherTakesOver() {
    Set<Long> viaFirst = ConcurrentHashMap.newKeySet();
    Set<Long> viaSecond = ConcurrentHashMap.newKeySet();
    LeasedRelay relayA = relay(first, firstStore, viaFirst);
    awaitUntil("the first relay publishes", () -> relayA.role() == LeasedRelay.Role.PUBLISHING);
    LeasedRelay relayB = relay(second, secondStore, viaSecond);

    append(1, 40);
    awaitUntil("the first 40 events are published", () -> viaFirst.size() == 40);
    pause(1_500); // the second relay keeps trying meanwhile

    assertThat(relayB.role()).isEqualTo(LeasedRelay.Role.STANDBY);
    assertThat(viaSecond).as("published by the relay without the lease").isEmpty();

    // the first process dies: its Vert.x goes away with its connections, so the lock goes with its session
    long before = viaFirst.size();
    Futures.await(first.close());
    awaitUntil("the second relay takes over", () -> relayB.role() == LeasedRelay.Role.PUBLISHING);
    append(41, 80);
    awaitUntil("every stored event is published", () -> union(viaFirst, viaSecond).size() == 80);

    assertThat(union(viaFirst, viaSecond)).isEqualTo(LongStream.rangeClosed(1, 80).boxed().collect(Collectors.toSet()));
    assertThat(viaSecond).as("events after the takeover go through the new holder").contains(80L);
    assertThat(before).isEqualTo(40);
    Futures.await(relayB.stop());
  }

  @Test
  @DisplayName("when the holder's lease session is terminated while its process lives, the other takes over:"
      + " nothing lost, nothing twice or out of order, and the old holder can no longer move the checkpoint")
  void leaseLostWhileTheHolderLives() {
    FreshSchema own = new FreshSchema("lease_kill_it");
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    try {
      EventCodecs.register(a.eventBus(), BlueprintEvents.registry());
      EventCodecs.register(b.eventBus(), BlueprintEvents.registry());
      PgEventStore storeA = own.connect(a, BlueprintEvents.registry());
      PgEventStore storeB = own.connect(b, BlueprintEvents.registry());
      String key = own.options().schema() + "/relay";
      // every delivery, from either process, in the order it was made
      List<Long> deliveries = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      Set<Long> viaA = ConcurrentHashMap.newKeySet();
      Set<Long> viaB = ConcurrentHashMap.newKeySet();
      // the old holder retries slowly, so the standby is the one that takes over
      PgRoleLease leaseA = new PgRoleLease(a, own.options().connectOptions(), key, "a", 3_000, 200);
      LeasedRelay relayA = relay(a, storeA, viaA, deliveries, leaseA);
      awaitUntil("the first relay publishes", () -> relayA.role() == LeasedRelay.Role.PUBLISHING);
      PgRoleLease leaseB = new PgRoleLease(b, own.options().connectOptions(), key, "b", 100, 200);
      LeasedRelay relayB = relay(b, storeB, viaB, deliveries, leaseB);

      append(storeB, "kill-", 1, 40);
      awaitUntil("the first 40 events are published", () -> viaA.size() == 40);
      awaitUntil("their checkpoint is saved", () -> Futures.await(storeB.checkpoints().load("relay")) == 40);
      long epochA = leaseA.epoch();

      // the holder's session dies under it (an operator, a failover, a network cut); its process goes on
      int terminated = Futures.await(storeB.pool().preparedQuery("SELECT count(pg_terminate_backend(l.pid)) FROM pg_locks l"
              + " WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.granted"
              + " AND l.classid = (hashtext('herald-role')::bigint & 4294967295)::oid"
              + " AND l.objid = (hashtext($1)::bigint & 4294967295)::oid")
          .execute(Tuple.of(key))).iterator().next().getInteger(0);
      assertThat(terminated).as("the lease holder's session").isEqualTo(1);

      awaitUntil("the second relay takes over", () -> relayB.role() == LeasedRelay.Role.PUBLISHING);
      awaitUntil("the first relay stands by", () -> relayA.role() == LeasedRelay.Role.STANDBY);
      assertThat(leaseB.epoch()).as("the new holding's fencing token").isGreaterThan(epochA);
      append(storeB, "kill-", 41, 80);
      awaitUntil("every stored event is published", () -> union(viaA, viaB).size() == 80);
      awaitUntil("the new holder saved its checkpoint", () -> Futures.await(storeB.checkpoints().load("relay")) == 80);

      assertThat(deliveries).as("each event once, in order").containsExactlyElementsOf(LongStream.rangeClosed(1, 80).boxed().toList());
      assertThat(viaA).as("published by the old holder").isEqualTo(LongStream.rangeClosed(1, 40).boxed().collect(Collectors.toSet()));
      assertThat(relayA.relay()).as("the old holder's relay is stopped").isNull();

      // a save of the old holder, with its own token, is refused and moves nothing
      Throwable refused = Futures.failureOf(storeA.checkpoints().save("relay", 1_000, epochA));
      assertThat(refused).isInstanceOf(CheckpointFencedException.class).hasMessageContaining("epoch " + epochA);
      assertThat(Futures.await(storeB.checkpoints().open("relay")))
          .isEqualTo(new Checkpoint(80, leaseB.epoch()));

      Futures.await(relayB.stop());
      Futures.await(relayA.stop());
      Futures.await(storeA.close());
      Futures.await(storeB.close());
    } finally {
      Futures.await(a.close());
      Futures.await(b.close());
      own.drop();
    }
  }

  private LeasedRelay relay(Vertx vertx, PgEventStore store, Set<Long> published) {
    PgRoleLease lease = new PgRoleLease(vertx, schema.options().connectOptions(),
        schema.options().schema() + "/relay", "test", 100, 200);
    return relay(vertx, store, published, null, lease);
  }

  private LeasedRelay relay(Vertx vertx, PgEventStore store, Set<Long> published, List<Long> deliveries,
                            PgRoleLease lease) {
    EventBusBroker broker = new EventBusBroker(vertx, EventBusBrokerOptions.defaults(), BlueprintEvents.registry());
    Futures.await(broker.start());
    Futures.await(new EventConsumers(broker).subscribe("observer", List.of("*"), (RecordedEvent e) -> {
      published.add(e.position());
      if (deliveries != null) {
        deliveries.add(e.position());
      }
      return io.vertx.core.Future.succeededFuture();
    }));
    LeasedRelay relay = new LeasedRelay(vertx, store, store.checkpoints(), broker,
        EventRelayOptions.fromJson(new JsonObject().put("checkpointBatch", 1).put("checkpointIntervalMs", 50)), lease);
    Futures.await(relay.start());
    return relay;
  }

  private void append(int from, int to) {
    append(secondStore, "order-", from, to);
  }

  private static void append(EventStore store, String prefix, int from, int to) {
    for (int i = from; i <= to; i++) {
      Futures.await(store.append(prefix + i, EventStore.NO_STREAM, List.of(orderPaid(Integer.toString(i)))));
    }
  }

  private static Set<Long> union(Set<Long> a, Set<Long> b) {
    Set<Long> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
