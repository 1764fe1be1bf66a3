package io.herald.store;

import io.herald.testing.StoreTestBase;
import io.herald.testing.Futures;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.Address;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.UserRegistered;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link EventStore} must show. Each implementation's test class extends this and says how
 * to open a fresh, empty store; every test uses its own stream ids.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class EventStoreContract extends StoreTestBase {

  protected static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/herald/test");

  protected static <T> T await(Future<T> future) {
    return Futures.await(future);
  }

  protected static Throwable failureOf(Future<?> future) {
    return Futures.failureOf(future);
  }

  protected static String stream(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }

  protected static EventEnvelope userRegistered(String userId) {
    return EVENTS.create(new UserRegistered(userId, userId + "@example.org", "user " + userId));
  }

  protected static EventEnvelope orderCreated(String orderId) {
    return EVENTS.create(new OrderCreated(orderId, "u-1", "u1@example.org",
        List.of(new OrderItem("sku-1", 2, new BigDecimal("19.90")), new OrderItem("sku-2", 1, new BigDecimal("0.10"))),
        new BigDecimal("39.90"), new Address("1 Main St", "Springfield", "12345", "US"), "tok_visa"));
  }

  protected static EventEnvelope orderPaid(String orderId) {
    return EVENTS.create(new OrderPaid(orderId, "p-" + orderId, new BigDecimal("39.90")));
  }

  @Test
  @DisplayName("an append to a new stream returns its version and contiguous positions, and reads back equal")
  void appendAndReadStream() {
    String id = UUID.randomUUID().toString();
    String stream = "order-" + id;
    List<EventEnvelope> events = List.of(orderCreated(id), orderPaid(id));

    AppendResult result = await(store.append(stream, EventStore.NO_STREAM, events));

    assertThat(result.streamId()).isEqualTo(stream);
    assertThat(result.nextVersion()).isEqualTo(2);
    assertThat(result.lastPosition()).isEqualTo(result.firstPosition() + 1);
    List<RecordedEvent> read = await(store.readStream(stream, 1));
    assertThat(read).extracting(RecordedEvent::envelope)
        .containsExactly(events.get(0).withSequence(1), events.get(1).withSequence(2));
    assertThat(read).extracting(RecordedEvent::position).containsExactly(result.firstPosition(), result.lastPosition());
    assertThat(read.get(0).envelope().data(OrderCreated.class).total()).isEqualByComparingTo("39.90");
  }

  @Test
  @DisplayName("reading a stream from a version returns only that version and later ones")
  void readStreamFromVersion() {
    String stream = stream("user");
    await(store.append(stream, EventStore.NO_STREAM, List.of(userRegistered("a"), userRegistered("a"), userRegistered("a"))));

    assertThat(await(store.readStream(stream, 2))).extracting(RecordedEvent::version).containsExactly(2L, 3L);
    assertThat(await(store.readStream(stream("missing"), 1))).isEmpty();
  }

  @Test
  @DisplayName("a wrong expected version fails with both versions and writes nothing")
  void wrongExpectedVersion() {
    String stream = stream("user");
    await(store.append(stream, EventStore.NO_STREAM, List.of(userRegistered("a"), userRegistered("a"))));

    Throwable stale = failureOf(store.append(stream, 1, List.of(userRegistered("a"), userRegistered("a"))));
    Throwable notNew = failureOf(store.append(stream, EventStore.NO_STREAM, List.of(userRegistered("a"))));

    assertThat(stale).isInstanceOf(ConcurrencyConflictException.class)
        .hasMessageContaining("expected version 1").hasMessageContaining("actual version 2");
    ConcurrencyConflictException conflict = (ConcurrencyConflictException) stale;
    assertThat(conflict.expectedVersion()).isEqualTo(1);
    assertThat(conflict.actualVersion()).isEqualTo(2);
    assertThat(((ConcurrencyConflictException) notNew).actualVersion()).isEqualTo(2);
    assertThat(await(store.readStream(stream, 1))).hasSize(2);
  }

  @Test
  @DisplayName("ANY_VERSION appends without a check and continues the stream's versions")
  void anyVersion() {
    String stream = stream("user");
    await(store.append(stream, EventStore.ANY_VERSION, List.of(userRegistered("a"))));
    AppendResult second = await(store.append(stream, EventStore.ANY_VERSION, List.of(userRegistered("a"))));

    assertThat(second.nextVersion()).isEqualTo(2);
  }

  @Test
  @DisplayName("an event id that is already stored fails the append with the id and writes none of it")
  void duplicateEventId() {
    String stream = stream("user");
    EventEnvelope first = userRegistered("a");
    await(store.append(stream, EventStore.NO_STREAM, List.of(first)));

    Throwable failure = failureOf(store.append(stream, 1, List.of(userRegistered("a"), first)));

    assertThat(failure).isInstanceOf(DuplicateEventException.class).hasMessageContaining(first.id().toString());
    assertThat(await(store.readStream(stream, 1))).hasSize(1);
  }

  @Test
  @DisplayName("bad arguments are refused with a message naming the argument")
  void badArguments() {
    assertThatThrownBy(() -> await(store.append(" ", EventStore.NO_STREAM, List.of(userRegistered("a")))))
        .hasMessageContaining("streamId");
    assertThatThrownBy(() -> await(store.append(stream("user"), EventStore.NO_STREAM, List.of())))
        .hasMessageContaining("at least one event");
    assertThatThrownBy(() -> await(store.append(stream("user"), -7, List.of(userRegistered("a")))))
        .hasMessageContaining("expectedVersion");
    assertThatThrownBy(() -> await(store.readAll(1, 0))).hasMessageContaining("limit");
  }

  @Test
  @DisplayName("readAll pages through the global order and says where to continue")
  void readAllPages() {
    long head = await(store.headPosition());
    String stream = stream("user");
    AppendResult result = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 5).mapToObj(i -> userRegistered("p")).toList()));

    assertThat(await(store.headPosition())).isGreaterThanOrEqualTo(result.lastPosition()).isGreaterThan(head);
    EventPage first = await(store.readAll(result.firstPosition(), 3));
    EventPage second = await(store.readAll(first.next(), 3));

    assertThat(first.events()).extracting(RecordedEvent::position)
        .containsExactly(result.firstPosition(), result.firstPosition() + 1, result.firstPosition() + 2);
    assertThat(first.next()).isEqualTo(result.firstPosition() + 3);
    assertThat(second.events().get(0).position()).isEqualTo(result.firstPosition() + 3);
  }

  @Test
  @DisplayName("two writers race on one stream: exactly one wins each version, the other gets the conflict error")
  void racingWritersOnOneStream() {
    String stream = stream("order");
    for (long version = 0; version < 100; version++) {
      // both writers saw the same version and append at once
      Future<AppendResult> a = store.append(stream, version, List.of(userRegistered("A")));
      Future<AppendResult> b = store.append(stream, version, List.of(userRegistered("B")));
      await(Future.join(a, b).otherwiseEmpty());

      List<Future<AppendResult>> outcomes = List.of(a, b);
      assertThat(outcomes.stream().filter(Future::succeeded)).as("winners of version %d", version + 1).hasSize(1);
      Future<AppendResult> loser = outcomes.stream().filter(Future::failed).findFirst().orElseThrow();
      assertThat(loser.cause()).isInstanceOf(ConcurrencyConflictException.class);
      ConcurrencyConflictException conflict = (ConcurrencyConflictException) loser.cause();
      assertThat(conflict.expectedVersion()).isEqualTo(version);
      assertThat(conflict.actualVersion()).isEqualTo(version + 1);
    }
    assertThat(await(store.readStream(stream, 1))).extracting(RecordedEvent::version)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, 100).mapToObj(Long::valueOf).toList());
  }

  @Test
  @DisplayName("concurrent appends keep their own outcomes: the stale ones conflict, the others are stored whole")
  void concurrentAppendsKeepTheirOwnOutcome() {
    List<String> streams = IntStream.range(0, 40).mapToObj(i -> stream("order")).toList();
    for (String s : streams) {
      await(store.append(s, EventStore.NO_STREAM, List.of(orderCreated(s))));
    }
    List<Future<AppendResult>> appends = new ArrayList<>();
    for (int i = 0; i < streams.size(); i++) {
      long expected = i % 2 == 0 ? 1 : 0;   // odd ones are stale
      appends.add(store.append(streams.get(i), expected, List.of(orderPaid(streams.get(i)), orderPaid(streams.get(i)))));
    }
    await(Future.join(appends).otherwiseEmpty());

    for (int i = 0; i < streams.size(); i++) {
      Future<AppendResult> f = appends.get(i);
      if (i % 2 == 0) {
        assertThat(f.succeeded()).as("append %d", i).isTrue();
        assertThat(f.result().nextVersion()).isEqualTo(3);
        assertThat(await(store.readStream(streams.get(i), 1))).hasSize(3);
      } else {
        assertThat(f.cause()).as("append %d", i).isInstanceOf(ConcurrencyConflictException.class);
        assertThat(await(store.readStream(streams.get(i), 1))).hasSize(1);
      }
    }
  }

  @Test
  @DisplayName("gap safety: a live subscriber sees every event of 8 concurrent writers exactly once, in position order")
  void gapSafetyUnderConcurrentWriters() {
    int writers = 8;
    int appendsPerWriter = 250;
    long start = await(store.headPosition()) + 1;
    List<Long> seen = Collections.synchronizedList(new ArrayList<>());
    Set<UUID> seenIds = ConcurrentHashMap.newKeySet();
    AtomicInteger duplicates = new AtomicInteger();
    Subscription subscription = store.subscribe(start, event -> {
      seen.add(event.position());
      if (!seenIds.add(event.envelope().id())) {
        duplicates.incrementAndGet();
      }
      return Future.succeededFuture();
    });

    Set<UUID> written = ConcurrentHashMap.newKeySet();
    List<Future<Void>> running = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      running.add(writeSequentially(stream("gap" + w), appendsPerWriter, written));
    }
    await(Future.all(running));
    int expected = writers * appendsPerWriter * 2;
    long deadline = System.currentTimeMillis() + 30_000;
    while (seenIds.size() < expected && System.currentTimeMillis() < deadline) {
      sleep(20);
    }
    await(subscription.close());

    assertThat(duplicates).hasValue(0);
    assertThat(seenIds).containsAll(written);
    List<Long> positions = new ArrayList<>(seen);
    for (int i = 1; i < positions.size(); i++) {
      assertThat(positions.get(i)).as("position after %d", positions.get(i - 1)).isGreaterThan(positions.get(i - 1));
    }
    assertThat(subscription.nextPosition()).isEqualTo(positions.get(positions.size() - 1) + 1);
  }

  private Future<Void> writeSequentially(String stream, int remaining, Set<UUID> written) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> writeNext(stream, 0, remaining, written, done));
    return done.future();
  }

  private void writeNext(String stream, long version, int remaining, Set<UUID> written, Promise<Void> done) {
    if (remaining == 0) {
      done.complete();
      return;
    }
    List<EventEnvelope> batch = List.of(userRegistered(stream), userRegistered(stream));
    store.append(stream, version, batch).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
        return;
      }
      batch.forEach(e -> written.add(e.id()));
      writeNext(stream, ar.result().nextVersion(), remaining - 1, written, done);
    });
  }

  @Test
  @DisplayName("a subscription resumes from a checkpoint: it starts at the given position, then goes live")
  void subscriptionResumesFromCheckpoint() {
    String stream = stream("user");
    AppendResult first = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 4).mapToObj(i -> userRegistered("r")).toList()));
    long checkpoint = first.firstPosition() + 1;   // the first two were handled before
    List<RecordedEvent> received = Collections.synchronizedList(new ArrayList<>());
    Subscription subscription = store.subscribe(checkpoint + 1, event -> {
      if (event.streamId().equals(stream)) {
        received.add(event);
      }
      return Future.succeededFuture();
    });
    waitUntil(() -> received.size() == 2);
    AppendResult live = await(store.append(stream, 4, List.of(userRegistered("r"))));
    waitUntil(() -> received.size() == 3);
    await(subscription.close());

    assertThat(received).extracting(RecordedEvent::position)
        .containsExactly(first.firstPosition() + 2, first.firstPosition() + 3, live.firstPosition());
  }

  @Test
  @DisplayName("a page subscription delivers consecutive, non-empty pages in order, waits for each, then goes live")
  void pageSubscription() {
    String stream = stream("user");
    AppendResult first = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 30).mapToObj(i -> userRegistered("p")).toList()));
    List<List<Long>> pages = Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.atomic.AtomicBoolean inPage = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
    Subscription subscription = store.subscribePages(first.firstPosition(), page -> {
      overlapped.compareAndSet(false, !inPage.compareAndSet(false, true));
      Promise<Void> handled = Promise.promise();
      vertx.setTimer(2, t -> {
        pages.add(page.stream().filter(e -> e.streamId().equals(stream)).map(RecordedEvent::position).toList());
        inPage.set(false);
        handled.complete();
      });
      return handled.future();
    });
    waitUntil(() -> pages.stream().mapToInt(List::size).sum() == 30);
    AppendResult live = await(store.append(stream, 30, List.of(userRegistered("p"))));
    waitUntil(() -> pages.stream().mapToInt(List::size).sum() == 31);
    await(subscription.close());

    List<Long> delivered = pages.stream().flatMap(List::stream).toList();
    assertThat(delivered).hasSize(31).isSorted().doesNotHaveDuplicates()
        .startsWith(first.firstPosition()).endsWith(live.firstPosition());
    assertThat(overlapped).isFalse();
    assertThat(subscription.nextPosition()).isGreaterThan(live.firstPosition());
  }

  @Test
  @DisplayName("a page subscription with its own page size reads at most that many events at a time; below 1 is refused")
  void pageSubscriptionOfItsOwnSize() {
    String stream = stream("user");
    AppendResult first = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 25).mapToObj(i -> userRegistered("z")).toList()));
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    Subscription subscription = store.subscribePages(first.firstPosition(), 10, page -> {
      sizes.add(page.size());
      return Future.succeededFuture();
    });
    waitUntil(() -> sizes.stream().mapToInt(Integer::intValue).sum() >= 25);
    await(subscription.close());

    assertThat(sizes).containsExactly(10, 10, 5);
    assertThatThrownBy(() -> store.subscribePages(1, 0, page -> Future.succeededFuture()))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("a page holds at least 1 event, pageSize was 0");
  }

  @Test
  @DisplayName("a failing page handler stops its subscription, which resumes at that page's first position")
  void failingPageStopsSubscription() {
    String stream = stream("user");
    AppendResult result = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 3).mapToObj(i -> userRegistered("f")).toList()));
    Subscription subscription = store.subscribePages(result.firstPosition(), page ->
        Future.failedFuture(new IllegalStateException("page boom")));

    assertThat(failureOf(subscription.done())).hasMessage("page boom");
    assertThat(subscription.nextPosition()).isEqualTo(result.firstPosition());
  }

  @Test
  @DisplayName("a slow handler holds back only its own subscription, which still delivers in order")
  void slowHandlerKeepsOrder() {
    String stream = stream("user");
    AppendResult result = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 20).mapToObj(i -> userRegistered("s")).toList()));
    List<Long> slow = Collections.synchronizedList(new ArrayList<>());
    List<Long> fast = Collections.synchronizedList(new ArrayList<>());
    Subscription slowSub = store.subscribe(result.firstPosition(), event -> {
      Promise<Void> p = Promise.promise();
      vertx.setTimer(5, t -> {
        slow.add(event.position());
        p.complete();
      });
      return p.future();
    });
    Subscription fastSub = store.subscribe(result.firstPosition(), event -> {
      fast.add(event.position());
      return Future.succeededFuture();
    });
    waitUntil(() -> fast.size() >= 20);
    assertThat(slow.size()).isLessThan(20);
    waitUntil(() -> slow.size() >= 20);
    await(slowSub.close());
    await(fastSub.close());

    assertThat(slow.subList(0, 20)).isSorted().containsExactlyElementsOf(fast.subList(0, 20));
  }

  @Test
  @DisplayName("a failing handler stops its subscription with that failure at that position")
  void failingHandlerStopsSubscription() {
    String stream = stream("user");
    AppendResult result = await(store.append(stream, EventStore.NO_STREAM,
        IntStream.range(0, 3).mapToObj(i -> userRegistered("f")).toList()));
    Subscription subscription = store.subscribe(result.firstPosition(), event ->
        event.version() == 2 ? Future.failedFuture(new IllegalStateException("boom at 2")) : Future.succeededFuture());

    assertThat(failureOf(subscription.done())).hasMessage("boom at 2");
    assertThat(subscription.nextPosition()).isEqualTo(result.firstPosition() + 1);
  }

  @Test
  @DisplayName("snapshots: the latest one is returned and an older one never replaces it")
  void snapshots() {
    String stream = stream("order");
    assertThat(await(store.loadSnapshot(stream))).isEmpty();
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    await(store.saveSnapshot(new Snapshot(stream, 10, "order-v1", new JsonObject().put("status", "paid"), now)));
    await(store.saveSnapshot(new Snapshot(stream, 5, "order-v1", new JsonObject().put("status", "pending"), now)));

    Optional<Snapshot> loaded = await(store.loadSnapshot(stream));
    assertThat(loaded).get().satisfies(s -> {
      assertThat(s.version()).isEqualTo(10);
      assertThat(s.state().getString("status")).isEqualTo("paid");
      assertThat(s.stateType()).isEqualTo("order-v1");
    });
  }

  @Test
  @DisplayName("loadStream: the snapshot of the asked state type and the events after it; without one, every event")
  void loadStream() {
    String stream = stream("order");
    assertThat(await(store.loadStream(stream, "order-v1"))).satisfies(h -> {
      assertThat(h.snapshot()).isEmpty();
      assertThat(h.events()).isEmpty();
    });
    await(store.append(stream, EventStore.NO_STREAM, IntStream.range(0, 5).mapToObj(i -> userRegistered("a")).toList()));
    Instant taken = Instant.parse("2026-01-01T00:00:00Z");
    await(store.saveSnapshot(new Snapshot(stream, 3, "order-v1", new JsonObject().put("status", "paid").put("n", 3), taken)));

    StreamHistory after = await(store.loadStream(stream, "order-v1"));
    StreamHistory otherShape = await(store.loadStream(stream, "order-v2"));

    assertThat(after.snapshot()).get().satisfies(s -> {
      assertThat(s.streamId()).isEqualTo(stream);
      assertThat(s.version()).isEqualTo(3);
      assertThat(s.stateType()).isEqualTo("order-v1");
      assertThat(s.state()).isEqualTo(new JsonObject().put("status", "paid").put("n", 3));
      assertThat(s.takenAt()).isEqualTo(taken);
    });
    assertThat(after.events()).extracting(RecordedEvent::version).containsExactly(4L, 5L);
    assertThat(after.events()).allSatisfy(e -> assertThat(e.streamId()).isEqualTo(stream));
    assertThat(otherShape.snapshot()).as("a snapshot of another shape is not used").isEmpty();
    assertThat(otherShape.events()).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(otherShape.events()).extracting(RecordedEvent::position)
        .isEqualTo(await(store.readStream(stream, 1)).stream().map(RecordedEvent::position).toList());
  }

  @Test
  @DisplayName("ping answers while the store is reachable")
  void ping() {
    await(store.ping());
    assertThat(store.describe()).isNotBlank();
  }

  protected static void waitUntil(java.util.function.BooleanSupplier condition) {
    Futures.waitUntil(condition);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

}
