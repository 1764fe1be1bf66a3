package io.herald.broker;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.pause;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgPublisherLease;
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
 * only the lease holder publishes, and when its database session dies the other takes over from the checkpoint.
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

  private LeasedRelay relay(Vertx vertx, PgEventStore store, Set<Long> published) {
    EventBusBroker broker = new EventBusBroker(vertx, EventBusBrokerOptions.defaults(), BlueprintEvents.registry());
    Futures.await(broker.start());
    Futures.await(new EventConsumers(broker).subscribe("observer", List.of("*"), (RecordedEvent e) -> {
      published.add(e.position());
      return io.vertx.core.Future.succeededFuture();
    }));
    PgPublisherLease lease = new PgPublisherLease(vertx, schema.options().connectOptions(),
        schema.options().schema() + "/relay", 100, 200);
    LeasedRelay relay = new LeasedRelay(vertx, store, store.checkpoints(), broker,
        EventRelayOptions.fromJson(new JsonObject().put("checkpointBatch", 1).put("checkpointIntervalMs", 50)), lease);
    Futures.await(relay.start());
    return relay;
  }

  private void append(int from, int to) {
    for (int i = from; i <= to; i++) {
      Futures.await(secondStore.append("order-" + i, EventStore.NO_STREAM, List.of(orderPaid(Integer.toString(i)))));
    }
  }

  private static Set<Long> union(Set<Long> a, Set<Long> b) {
    Set<Long> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }
}
