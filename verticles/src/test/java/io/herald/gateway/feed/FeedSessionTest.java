package io.herald.gateway.feed;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.CloudEventJson;
import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.InventoryAdjusted;
import io.herald.event.domain.UserRegistered;
import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
@Timeout(value = 30, unit = SECONDS)
@DisplayName("Feed sessions: catch-up, live, slow clients")
class FeedSessionTest {

  private static final int BUFFER = 5;
  private final EventFactory events = new EventFactory(BlueprintEvents.registry(), "/test/feed");
  private Vertx vertx;
  private InMemoryEventStore store;
  private FeedHub hub;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    store = new InMemoryEventStore(vertx);
    hub = new FeedHub(vertx, store, new CloudEventJson(BlueprintEvents.registry()), new FeedOptions(60_000, BUFFER, 10, 7));
  }

  @AfterEach
  void tearDown() {
    Futures.await(hub.close());
    Futures.await(store.close());
  }

  @Test
  @DisplayName("a client from position 1 gets every event exactly once, in order, while writers keep appending")
  void catchUpMeetsLive() {
    append(40, "sku-a");
    Futures.await(hub.start());
    append(10, "sku-b");
    RecordingSink sink = new RecordingSink();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> new FeedSession(hub, sink, new FeedQuery(List.of(), 1L), () -> {
    }).start());
    for (int round = 0; round < 20; round++) {
      append(10, "sku-" + round); // during the catch-up and after it
    }
    Futures.waitUntil(() -> sink.positions().size() >= 250);
    assertThat(sink.positions()).containsExactlyElementsOf(range(1, 250));
    append(1, "sku-last");
    Futures.waitUntil(() -> sink.positions().size() == 251);
    assertThat(sink.closedWith).isNull();
  }

  @Test
  @DisplayName("only the asked types are sent; positions of others are skipped, not waited for")
  void filters() {
    Futures.await(hub.start());
    RecordingSink sink = new RecordingSink();
    vertx.getOrCreateContext().runOnContext(v -> new FeedSession(hub, sink, FeedQuery.parse(List.of("user.*"), "1", null),
        () -> {
        }).start());
    append(3, "sku-x");
    Futures.await(store.append("user-u1", EventStore.ANY_VERSION, List.of(events.create(
        new UserRegistered("u1", "u1@example.org", "u1")))));
    Futures.waitUntil(() -> sink.positions().size() == 1);
    assertThat(sink.positions()).containsExactly(4L);
  }

  @Test
  @DisplayName("a connection that stays full gets its buffer filled, then is closed with the reason")
  void slowClientIsDropped() {
    Futures.await(hub.start());
    RecordingSink sink = new RecordingSink();
    List<FeedSession> session = new CopyOnWriteArrayList<>();
    vertx.getOrCreateContext().runOnContext(v -> {
      session.add(new FeedSession(hub, sink, FeedQuery.live(), () -> sink.full = true));
      session.get(0).start();
    });
    Futures.waitUntil(() -> sink.full);
    append(BUFFER, "sku-slow");
    Futures.await(vertx.timer(200));
    assertThat(sink.closedWith).as("a full buffer is still fine").isNull();
    assertThat(sink.positions()).isEmpty();

    append(1, "sku-slow");
    Futures.waitUntil(() -> sink.closedWith != null);
    assertThat(sink.closedWith).isEqualTo("slow consumer: more than " + BUFFER + " events waiting to be sent");
  }

  @Test
  @DisplayName("events that waited for a full connection are sent in order when it drains")
  void waitingEventsFollowTheDrain() {
    Futures.await(hub.start());
    RecordingSink sink = new RecordingSink();
    vertx.getOrCreateContext().runOnContext(v -> new FeedSession(hub, sink, FeedQuery.live(), () -> sink.full = true).start());
    Futures.waitUntil(() -> sink.full);
    append(BUFFER, "sku-drain");
    Futures.waitUntil(() -> sink.drain != null);
    sink.full = false;
    sink.drain.context().runOnContext(v -> sink.drain.action.run());
    Futures.waitUntil(() -> sink.positions().size() == BUFFER);
    assertThat(sink.positions()).containsExactlyElementsOf(range(1, BUFFER));
    assertThat(sink.closedWith).isNull();
  }

  private void append(int count, String sku) {
    List<EventEnvelope> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(events.create(new InventoryAdjusted(sku, i)));
    }
    Futures.await(store.append("inventory-" + sku, EventStore.ANY_VERSION, batch));
  }

  private static List<Long> range(long from, long to) {
    List<Long> all = new ArrayList<>();
    for (long p = from; p <= to; p++) {
      all.add(p);
    }
    return all;
  }

  /** A connection that records what it is sent and can be made to look full. */
  static final class RecordingSink implements FeedSink {

    final List<FeedEvent> sent = new CopyOnWriteArrayList<>();
    volatile boolean full;
    volatile Drain drain;
    volatile String closedWith;

    record Drain(Context context, Runnable action) {
    }

    List<Long> positions() {
      return sent.stream().map(FeedEvent::position).toList();
    }

    @Override
    public void send(List<FeedEvent> events) {
      sent.addAll(events);
    }

    @Override
    public boolean writeQueueFull() {
      return full;
    }

    @Override
    public void onDrain(Runnable action) {
      drain = new Drain(Vertx.currentContext(), action);
    }

    @Override
    public void heartbeat() {
    }

    @Override
    public void close(String reason) {
      closedWith = reason;
    }

    @Override
    public void onClose(Runnable action) {
    }
  }
}
