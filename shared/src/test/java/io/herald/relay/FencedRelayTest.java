package io.herald.relay;

import static io.herald.broker.TestEvents.awaitUntil;
import static io.herald.broker.TestEvents.orderPaid;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.eventbus.EventBusBroker;
import io.herald.broker.eventbus.EventBusBrokerOptions;
import io.herald.event.EventCodecs;
import io.herald.event.domain.BlueprintEvents;
import io.herald.store.Checkpoint;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryCheckpointStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 15, unit = SECONDS)
@DisplayName("A relay with a fencing token")
class FencedRelayTest {

  private static final EventRelayOptions SAVE_EACH = EventRelayOptions.fromJson(new JsonObject()
      .put("checkpointBatch", 1).put("checkpointIntervalMs", 50));

  private InMemoryEventStore store;
  private EventBusBroker broker;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    store = new InMemoryEventStore(vertx);
    broker = new EventBusBroker(vertx, EventBusBrokerOptions.defaults(), BlueprintEvents.registry());
    broker.start().await(5, SECONDS);
  }

  @AfterEach
  void tearDown() throws Exception {
    broker.close().await(5, SECONDS);
    store.close().await(5, SECONDS);
  }

  @Test
  @DisplayName("once a newer holder claims the checkpoint, the old relay cannot move it and stops publishing")
  void newerHolderFencesTheOldRelay(Vertx vertx) throws Exception {
    InMemoryCheckpointStore checkpoints = new InMemoryCheckpointStore();
    List<Long> published = new CopyOnWriteArrayList<>();
    EventRelay old = new EventRelay(vertx, store, checkpoints, broker, SAVE_EACH,
        page -> page.forEach(e -> published.add(e.position())), 1);
    old.start().await(5, SECONDS);
    append(1, 5);
    awaitUntil("the checkpoint reaches 5", () -> old.lastCheckpointPosition() == 5);

    assertThat(checkpoints.claim("relay", 2).await(5, SECONDS)).as("where the new holder starts").isEqualTo(5);
    append(6, 6);
    awaitUntil("the old relay stops", () -> old.state() == EventRelay.State.STOPPED);
    append(7, 9);
    awaitUntil("the store holds 9 events", () -> store.headPosition().result() == 9);

    assertThat(checkpoints.open("relay").await(5, SECONDS)).isEqualTo(new Checkpoint(5, 2));
    assertThat(published).as("published by the fenced relay").containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(old.lastCheckpointPosition()).isEqualTo(5);
  }

  private void append(int from, int to) throws Exception {
    for (int i = from; i <= to; i++) {
      store.append("order-f" + i, EventStore.NO_STREAM, List.of(orderPaid("f" + i))).await(5, SECONDS);
    }
  }
}
