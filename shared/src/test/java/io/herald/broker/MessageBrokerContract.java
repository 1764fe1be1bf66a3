package io.herald.broker;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static io.herald.broker.TestEvents.userRegistered;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.herald.delivery.Consumers;
import io.herald.delivery.RetryPolicy;
import io.herald.delivery.pg.PgDeadLetterStore;
import io.herald.delivery.pg.PgInbox;
import io.herald.event.EventCodecs;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.TcpProxy;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.junit5.VertxExtension;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What every {@link MessageBroker} adapter must do, run against the real broker. Each test works in a namespace of
 * its own (topic prefix, exchange, stream prefix...), so tests never see each other's messages.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 90, unit = SECONDS)
public abstract class MessageBrokerContract {

  protected Vertx vertx;
  protected String namespace;
  private final List<MessageBroker> brokers = new ArrayList<>();
  private final List<TcpProxy> proxies = new ArrayList<>();

  /**
   * @param namespace lower-case letters and digits, unique per test: prefixes every topic, exchange, queue,
   *                  stream or subject the broker creates (where production uses {@code events})
   * @param host      where the broker is reached
   * @param port      its port (a {@link TcpProxy} in the outage test)
   * @return a broker that is not started yet
   */
  protected abstract MessageBroker newBroker(Vertx vertx, String namespace, String host, int port);

  /** @return the real broker's port on 127.0.0.1 */
  protected abstract int brokerPort();

  /**
   * Puts a message with the given body where a group subscribed to {@code type} reads it, with the broker's own
   * client and none of Herald's binding: how a third party publishes junk.
   *
   * @return {@code null} when the broker cannot carry a foreign message (the in-process event bus)
   */
  protected abstract Future<Void> publishForeign(String namespace, String aggregateType, String type, Buffer body);

  /** @return what the broker's own dead-letter destination holds for {@code group}, oldest first */
  protected abstract Future<List<RawMessage>> deadLettersOf(MessageBroker broker, String namespace, String group);

  /** Undoes what {@link #blockDeadLetters} did. */
  @FunctionalInterface
  protected interface Unblock {
    void run() throws Exception;
  }

  /**
   * Makes the broker's dead-letter destination of {@code group} refuse what is moved there (a full queue, a key of
   * the wrong type, a topic limit...). Called after {@code group} subscribed, before anything is dead-lettered.
   *
   * @return what makes the destination take messages again, or {@code null} when the broker has no destination
   *     that can be made to refuse (the in-process event bus)
   */
  protected Unblock blockDeadLetters(MessageBroker broker, String namespace, String group) throws Exception {
    return null;
  }

  /** @return whether unacked messages outlive the broker client (false for the in-process event bus) */
  protected boolean durable() {
    return true;
  }

  /** @return whether the broker is reached over a network a {@link TcpProxy} can cut (not the in-process event bus) */
  protected boolean reachableThroughProxy() {
    return true;
  }

  /**
   * @return a proxy that alone stands between the test's clients and a broker, open; by default in front of the
   *         broker on {@link #brokerPort()} and closed after the test
   */
  protected TcpProxy cuttable() throws Exception {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", brokerPort()).await(5, SECONDS);
    proxies.add(proxy);
    return proxy;
  }

  @BeforeEach
  void contractSetUp(Vertx vertx) throws Exception {
    this.vertx = vertx;
    EventCodecs.register(vertx.eventBus(), BlueprintEvents.registry());
    this.namespace = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  @AfterEach
  void contractTearDown() throws Exception {
    for (MessageBroker broker : brokers) {
      broker.close().await(20, SECONDS);
    }
    for (TcpProxy proxy : proxies) {
      proxy.close().await(5, SECONDS);
    }
  }

  protected MessageBroker started() throws Exception {
    return started(newBroker(vertx, namespace, "127.0.0.1", brokerPort()));
  }

  protected MessageBroker started(MessageBroker broker) throws Exception {
    brokers.add(broker);
    broker.start().await(30, SECONDS);
    return broker;
  }

  @Test
  @DisplayName("an event reaches its group intact: envelope, position, stream; and the raw message decodes to it")
  void deliversTheEventIntact() throws Exception {
    MessageBroker broker = started();
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("billing", List.of("order.*"), d -> {
      got.add(d);
      d.ack();
    }).await(30, SECONDS);
    RecordedEvent event = new RecordedEvent(17, "order-" + namespace, orderPaid(namespace));

    broker.publish(event).await(20, SECONDS);
    await("the event arrives", 20, () -> !got.isEmpty());

    Delivery delivery = got.get(0);
    assertThat(delivery.event()).isEqualTo(event);
    assertThat(delivery.decodeFailure()).isNull();
    assertThat(delivery.group()).isEqualTo("billing");
    assertThat(delivery.attempt()).isEqualTo(1);
    assertThat(broker.decode(delivery.message())).isEqualTo(event);
    assertThat(delivery.message().destination()).isNotBlank();
  }

  @Test
  @DisplayName("groups are independent, each receives the types its patterns match")
  void groupsAreIndependentAndFiltered() throws Exception {
    MessageBroker broker = started();
    Recorder orders = new Recorder();
    Recorder users = new Recorder();
    Recorder everything = new Recorder();
    EventConsumers consumers = new EventConsumers(broker);
    consumers.subscribe("orders", List.of("order.*"), orders).await(30, SECONDS);
    consumers.subscribe("users", List.of("user.registered"), users).await(30, SECONDS);
    consumers.subscribe("all", List.of("*"), everything).await(30, SECONDS);
    RecordedEvent paid = new RecordedEvent(1, "order-1", orderPaid("1"));
    RecordedEvent registered = new RecordedEvent(2, "user-2", userRegistered("u2"));

    broker.publishAll(List.of(paid, registered)).await(20, SECONDS);
    await("every group has its events", 20, () -> orders.size() >= 1 && users.size() >= 1 && everything.size() >= 2);
    TestEvents.pause(300);

    assertThat(orders.events()).containsExactly(paid);
    assertThat(users.events()).containsExactly(registered);
    assertThat(everything.events()).containsExactlyInAnyOrder(paid, registered);
  }

  @Test
  @DisplayName("1,000 events over 50 aggregates through 4 competing members arrive in sequence per aggregate")
  void competingMembersKeepEachStreamInOrder() throws Exception {
    MessageBroker broker = started();
    Map<Long, Integer> deliveriesByPosition = new ConcurrentHashMap<>();
    Map<String, List<Long>> firstArrivals = new ConcurrentHashMap<>();
    Map<String, Long> busyStreams = new ConcurrentHashMap<>();
    List<String> overlaps = new CopyOnWriteArrayList<>();
    AtomicInteger members = new AtomicInteger();
    Set<Integer> activeMembers = ConcurrentHashMap.newKeySet();
    for (int m = 0; m < 4; m++) {
      int member = members.incrementAndGet();
      broker.subscribe("projector", List.of("order.*"), d -> {
        RecordedEvent e = d.event();
        activeMembers.add(member);
        Long previous = busyStreams.putIfAbsent(e.streamId(), e.position());
        if (previous != null) {
          overlaps.add(e.streamId() + ": " + e.position() + " while " + previous + " was unacked");
        }
        if (deliveriesByPosition.merge(e.position(), 1, Integer::sum) == 1) {
          firstArrivals.computeIfAbsent(e.streamId(), k -> new CopyOnWriteArrayList<>()).add(e.position());
        }
        vertx.setTimer(1 + ThreadLocalRandom.current().nextInt(3), t -> {
          busyStreams.remove(e.streamId(), e.position());
          d.ack();
        });
      }).await(30, SECONDS);
    }

    List<RecordedEvent> published = new ArrayList<>();
    Map<String, List<Long>> expected = new LinkedHashMap<>();
    for (long p = 1; p <= 1000; p++) {
      String stream = "order-" + (p % 50);
      published.add(new RecordedEvent(p, stream, p % 2 == 0 ? orderPaid(stream) : orderShipped(stream)));
      expected.computeIfAbsent(stream, k -> new ArrayList<>()).add(p);
    }
    for (int i = 0; i < published.size(); i += 100) {
      broker.publishAll(published.subList(i, i + 100)).await(30, SECONDS);
    }
    await("all 1,000 events are handled", 60, () -> deliveriesByPosition.size() == 1000);

    assertThat(firstArrivals).isEqualTo(expected);
    assertThat(overlaps).as("deliveries that started while their stream's previous event was unacked").isEmpty();
    assertThat(activeMembers).as("members that received something").isNotEmpty();
  }

  @Test
  @DisplayName("a nacked delivery comes back with the next attempt number, before later events of its stream")
  void nackRedeliversBeforeLaterEventsOfItsStream() throws Exception {
    MessageBroker broker = started();
    List<String> seen = new CopyOnWriteArrayList<>();
    broker.subscribe("mailer", List.of("order.*"), d -> {
      seen.add(d.event().position() + "#" + d.attempt());
      if (d.event().position() == 1 && d.attempt() < 3) {
        d.nack(new IllegalStateException("smtp down"));
      } else {
        d.ack();
      }
    }).await(30, SECONDS);

    broker.publishAll(List.of(new RecordedEvent(1, "order-a", orderPaid("a")),
        new RecordedEvent(2, "order-a", orderShipped("a")))).await(20, SECONDS);
    await("the second event is handled", 30, () -> seen.contains("2#1"));
    TestEvents.pause(200);

    assertThat(seen).containsExactly("1#1", "1#2", "1#3", "2#1");
  }

  @Test
  @DisplayName("a consumer that dies before acking gets the message again; what it acked does not come back")
  void unackedDeliveryComesBackAfterTheConsumerDies() throws Exception {
    MessageBroker first = started();
    List<Delivery> held = new CopyOnWriteArrayList<>();
    BrokerSubscription dying = first.subscribe("shipper", List.of("order.*"), d -> {
      if (d.event().position() == 1) {
        d.ack();
      }
      held.add(d); // position 2 is never settled
    }).await(30, SECONDS);
    RecordedEvent acked = new RecordedEvent(1, "order-x", orderPaid("x"));
    RecordedEvent unacked = new RecordedEvent(2, "order-y", orderPaid("y"));
    first.publishAll(List.of(acked, unacked)).await(20, SECONDS);
    await("both events reach the first consumer", 20, () -> held.size() >= 2);
    TestEvents.pause(300); // lets the first ack reach the broker
    MessageBroker second;
    if (durable()) {
      first.close().await(20, SECONDS);
      second = started(newBroker(vertx, namespace, "127.0.0.1", brokerPort()));
    } else {
      dying.close().await(20, SECONDS);
      second = first;
    }
    Recorder recorder = new Recorder();
    new EventConsumers(second).subscribe("shipper", List.of("order.*"), recorder).await(30, SECONDS);
    await("the unacked event is delivered again", 60, () -> recorder.received(2));
    TestEvents.pause(300);

    assertThat(recorder.events()).containsExactly(unacked);
  }

  @Test
  @DisplayName("a member that leaves its group lets its running handler finish before the stream goes on elsewhere")
  void leavingMemberFinishesItsRunningHandlerFirst() throws Exception {
    MessageBroker broker = started();
    List<String> journal = new CopyOnWriteArrayList<>();
    AtomicReference<Delivery> running = new AtomicReference<>();
    AtomicBoolean gone = new AtomicBoolean();
    BrokerSubscription leaving = broker.subscribe("packer", List.of("order.*"), d -> {
      journal.add((gone.get() ? "left member" : "first") + " started " + d.event().position());
      if (d.event().position() == 1) {
        running.set(d); // still being handled when its member leaves
      } else {
        d.ack();
      }
    }).await(30, SECONDS);
    RecordedEvent paid = new RecordedEvent(1, "order-leave", orderPaid("leave"));
    RecordedEvent shipped = new RecordedEvent(2, "order-leave", orderShipped("leave"));
    broker.publishAll(List.of(paid, shipped)).await(20, SECONDS);
    await("the first member handles the stream's first event", 30, () -> running.get() != null);

    Future<BrokerSubscription> next = broker.subscribe("packer", List.of("order.*"), d -> {
      journal.add("second started " + d.event().position());
      d.ack();
    });
    Future<Void> left = leaving.close();
    TestEvents.pause(3_000); // longer than any adapter takes to hand a group over
    assertThat(left.isComplete()).as("left while its handler still runs").isFalse();
    journal.add("first acked 1");
    running.get().ack().await(20, SECONDS);
    left.await(30, SECONDS);
    gone.set(true);
    next.await(60, SECONDS);
    await("the stream's next event is handled", 60, () -> journal.stream().anyMatch(j -> j.endsWith("started 2")));
    broker.publishAll(List.of(new RecordedEvent(3, "order-leave", orderPaid("leave")))).await(20, SECONDS);
    await("the remaining member handles what comes next", 60, () -> journal.contains("second started 3"));
    TestEvents.pause(300);

    assertThat(journal.subList(0, 2)).containsExactly("first started 1", "first acked 1");
    assertThat(journal.stream().filter(j -> j.endsWith("started 2")).toList()).as("starts of the stream's next event")
        .hasSize(1).noneMatch(j -> j.startsWith("left member"));
    assertThat(journal).doesNotContain("second started 1", "left member started 3");
  }

  @Test
  @DisplayName("with the inbox, an event redelivered after the consumer died before acking has its effect once")
  void inboxMakesTheEffectHappenOnce() throws Exception {
    assumeThat(durable()).as("unacked messages outlive the broker client (the in-process event bus is not durable)")
        .isTrue();
    FreshSchema schema = new FreshSchema("inbox_" + namespace);
    PgEventStore pg = schema.connect(vertx, BlueprintEvents.registry());
    try {
      Pool pool = pg.pool();
      pool.query("CREATE TABLE effects (event_id uuid NOT NULL)").execute().await(20, SECONDS);
      PgInbox inbox = new PgInbox(pool);
      MessageBroker first = started();
      Consumers dying = new Consumers(vertx, first, new PgDeadLetterStore(pool), new RetryPolicy(3, 10, 50));
      dying.effectivelyOnce("biller", List.of("order.*"), inbox, (event, tx) -> tx
          .preparedQuery("INSERT INTO effects (event_id) VALUES ($1)").execute(Tuple.of(event.envelope().id()))
          .compose(written -> first.close())   // the process dies after its effect, before it can ack
          .mapEmpty()).await(30, SECONDS);
      RecordedEvent charged = new RecordedEvent(1, "order-i", orderPaid("i"));
      RecordedEvent shipped = new RecordedEvent(2, "order-i", orderShipped("i"));
      first.publishAll(List.of(charged, shipped)).await(20, SECONDS);
      await("the first consumer's effect is committed", 30, () -> effects(pool, charged) == 1);

      List<RecordedEvent> redelivered = new CopyOnWriteArrayList<>();
      MessageBroker second = started(newBroker(vertx, namespace, "127.0.0.1", brokerPort()));
      MessageBroker watched = new RecordingBroker(second, redelivered);
      new Consumers(vertx, watched, new PgDeadLetterStore(pool), new RetryPolicy(3, 10, 50))
          .effectivelyOnce("biller", List.of("order.*"), inbox, (event, tx) -> tx
              .preparedQuery("INSERT INTO effects (event_id) VALUES ($1)").execute(Tuple.of(event.envelope().id()))
              .mapEmpty()).await(30, SECONDS);
      await("the next event of the stream has its effect", 60, () -> effects(pool, shipped) == 1);

      assertThat(redelivered).as("the unacked event came back").contains(charged);
      assertThat(effects(pool, charged)).as("effects of the redelivered event").isEqualTo(1);
    } finally {
      pg.close().await(20, SECONDS);
      schema.drop();
    }
  }

  private static long effects(Pool pool, RecordedEvent event) {
    try {
      return pool.preparedQuery("SELECT count(*) FROM effects WHERE event_id = $1").execute(Tuple.of(event.envelope().id()))
          .await(20, SECONDS).iterator().next().getLong(0);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  @DisplayName("a dead-lettered message goes to the broker's dead-letter destination and its stream goes on")
  void deadLetterMovesTheMessageAndTheStreamGoesOn() throws Exception {
    MessageBroker broker = started();
    List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
    List<Future<Void>> settled = new CopyOnWriteArrayList<>();
    broker.subscribe("auditor", List.of("order.*"), d -> {
      if (d.event().position() == 1) {
        settled.add(d.deadLetter(new IllegalStateException("ledger rejected it"), 3));
      } else {
        handled.add(d.event());
        settled.add(d.ack());
      }
    }).await(30, SECONDS);
    RecordedEvent doomed = new RecordedEvent(1, "order-d", orderPaid("d"));
    RecordedEvent next = new RecordedEvent(2, "order-d", orderShipped("d"));

    broker.publishAll(List.of(doomed, next)).await(20, SECONDS);
    await("the next event of the stream is handled", 30, () -> handled.size() == 1);
    for (Future<Void> f : settled) {
      f.await(20, SECONDS);
    }

    assertThat(handled).containsExactly(next);
    List<RawMessage> letters = deadLettersOf(broker, namespace, "auditor").await(20, SECONDS);
    assertThat(letters).hasSize(1);
    assertThat(broker.decode(letters.get(0))).isEqualTo(doomed);
    assertThat(letters.get(0).headers().values()).anySatisfy(v -> assertThat(v).contains("ledger rejected it"));
  }

  @Test
  @DisplayName("a dead letter its destination refuses stays unacked and is moved again with backoff; once the move works it lands there, its stream goes on, nothing is lost")
  protected void refusedDeadLetterIsMovedAgainUntilTaken() throws Exception {
    MessageBroker broker = started();
    List<RecordedEvent> handled = new CopyOnWriteArrayList<>();
    AtomicInteger refusedMoves = new AtomicInteger();
    MessageBroker watched = new MoveWatchingBroker(broker, refusedMoves);
    new Consumers(vertx, watched, new io.herald.delivery.memory.InMemoryDeadLetterStore(), new RetryPolicy(2, 10, 200))
        .atLeastOnce("keeper", List.of("order.*"), event -> {
          if (event.position() == 1) {
            return Future.failedFuture(new IllegalStateException("ledger rejected it"));
          }
          handled.add(event);
          return Future.succeededFuture();
        }).await(30, SECONDS);
    Unblock unblock = blockDeadLetters(broker, namespace, "keeper");
    assumeThat(unblock).as("the broker has a dead-letter destination that can be made to refuse").isNotNull();
    RecordedEvent doomed = new RecordedEvent(1, "order-k", orderPaid("k"));
    RecordedEvent next = new RecordedEvent(2, "order-k", orderShipped("k"));
    RecordedEvent elsewhere = new RecordedEvent(3, "order-other", orderPaid("other"));

    broker.publishAll(List.of(doomed, next, elsewhere)).await(20, SECONDS);
    await("another stream is handled meanwhile", 30, () -> handled.contains(elsewhere));
    await("the move to the dead letters was refused three times", 60, () -> refusedMoves.get() >= 3);

    assertThat(handled).as("the stream of the unmoved message waits").doesNotContain(next);
    assertThat(deadLettersOf(broker, namespace, "keeper").await(20, SECONDS)).as("nothing moved yet").isEmpty();

    unblock.run();
    await("the next event of the stream is handled", 60, () -> handled.contains(next));
    List<RawMessage> letters = deadLettersOf(broker, namespace, "keeper").await(20, SECONDS);
    assertThat(letters).hasSize(1);
    assertThat(broker.decode(letters.get(0))).isEqualTo(doomed);
    assertThat(handled).containsExactlyInAnyOrder(next, elsewhere);
  }

  /** Counts moves to the dead letters that the broker refused. */
  private static final class MoveWatchingBroker extends ForwardingBroker {

    private final AtomicInteger refused;

    MoveWatchingBroker(MessageBroker delegate, AtomicInteger refused) {
      super(delegate);
      this.refused = refused;
    }

    @Override
    public Future<BrokerSubscription> subscribe(String group, List<String> typePatterns, DeliveryHandler handler) {
      return delegate.subscribe(group, typePatterns, d -> handler.handle(new Delivery() {
        @Override
        public RecordedEvent event() {
          return d.event();
        }

        @Override
        public UndecodableMessageException decodeFailure() {
          return d.decodeFailure();
        }

        @Override
        public RawMessage message() {
          return d.message();
        }

        @Override
        public String group() {
          return d.group();
        }

        @Override
        public int attempt() {
          return d.attempt();
        }

        @Override
        public Future<Void> ack() {
          return d.ack();
        }

        @Override
        public Future<Void> nack(Throwable reason) {
          return d.nack(reason);
        }

        @Override
        public Future<Void> deadLetter(Throwable reason, int attempts) {
          return d.deadLetter(reason, attempts).onFailure(err -> refused.incrementAndGet());
        }
      }));
    }

  }

  @Test
  @DisplayName("a message that is not an event is delivered with the reason, and consuming goes on")
  void undecodableMessagesAreDeliveredWithTheirReason() throws Exception {
    MessageBroker broker = started();
    List<Delivery> got = new CopyOnWriteArrayList<>();
    broker.subscribe("inspector", List.of("order.*"), d -> {
      got.add(d);
      d.ack();
    }).await(30, SECONDS);
    Future<Void> junk = publishForeign(namespace, "order", "order.paid", Buffer.buffer("not json {"));
    assumeThat(junk).as("the broker carries foreign messages (the in-process event bus carries Herald's objects only)")
        .isNotNull();
    junk.await(20, SECONDS);
    String unknownType = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"/x\","
        + "\"type\":\"order.teleported\",\"time\":\"2026-01-01T00:00:00Z\",\"subject\":\"o1\",\"position\":5,"
        + "\"streamid\":\"order-o1\",\"data\":{}}";
    publishForeign(namespace, "order", "order.teleported", Buffer.buffer(unknownType)).await(20, SECONDS);
    RecordedEvent good = new RecordedEvent(9, "order-g", orderPaid("g"));
    broker.publish(good).await(20, SECONDS);
    await("the good event after the junk arrives", 30, () -> got.stream().anyMatch(d -> good.equals(d.event())));

    List<Delivery> bad = got.stream().filter(d -> d.event() == null).toList();
    assertThat(bad).hasSize(2);
    assertThat(bad).allSatisfy(d -> assertThat(d.decodeFailure()).isInstanceOf(UndecodableMessageException.class));
    assertThat(bad).anySatisfy(d -> assertThat(d.message().payloadText()).isEqualTo("not json {"));
    assertThat(bad).anySatisfy(d -> assertThat(d.decodeFailure().getMessage()).contains("order.teleported"));
  }

  @Test
  @DisplayName("a broker that goes away fails ping and publish; when it returns, publishing and consuming resume")
  void resumesAfterAnOutage() throws Exception {
    assumeThat(reachableThroughProxy())
        .as("the broker is reached over a network a TCP proxy can cut (the in-process event bus is not)").isTrue();
    TcpProxy proxy = cuttable();
    MessageBroker broker = started(newBroker(vertx, namespace, "127.0.0.1", proxy.port()));
    Recorder recorder = new Recorder();
    new EventConsumers(broker).subscribe("ledger", List.of("order.*"), recorder).await(30, SECONDS);
    broker.publish(new RecordedEvent(1, "order-o", orderPaid("o"))).await(20, SECONDS);
    await("the first event arrives", 20, () -> recorder.received(1));

    proxy.cut();
    await("ping reports the outage", 30, () -> pingFails(broker));

    proxy.restore();
    await("ping recovers", 60, () -> !pingFails(broker));
    Future<Void> published = retryPublish(broker, new RecordedEvent(2, "order-o", orderShipped("o")));
    published.await(60, SECONDS);
    await("the event published after the outage arrives", 60, () -> recorder.received(2));
  }

  @Test
  @DisplayName("a cut in the middle of a session, with publishes in flight, loses nothing and keeps each stream in order")
  void midSessionCutWithPublishesInFlightLosesNothing() throws Exception {
    assumeThat(reachableThroughProxy())
        .as("the broker is reached over a network a TCP proxy can cut (the in-process event bus is not)").isTrue();
    TcpProxy proxy = cuttable();
    MessageBroker broker = started(newBroker(vertx, namespace, "127.0.0.1", proxy.port()));
    Recorder recorder = new Recorder();
    new EventConsumers(broker).subscribe("ledger", List.of("order.*"), recorder).await(30, SECONDS);
    int total = 60;
    List<RecordedEvent> events = new ArrayList<>();
    for (int i = 1; i <= total; i++) {
      events.add(new RecordedEvent(i, "order-o", i % 2 == 0 ? orderShipped("o") : orderPaid("o")));
    }
    retryPublishAll(broker, events.subList(0, 10)).await(30, SECONDS);
    await("the first events arrive", 30, () -> recorder.received(10));

    // as the relay does: a batch in flight when the connection goes, retried from its start until confirmed
    Future<Void> second = retryPublishAll(broker, events.subList(10, 30));
    proxy.cut();
    await("ping reports the outage", 30, () -> pingFails(broker));
    proxy.restore();
    second.await(60, SECONDS);
    retryPublishAll(broker, events.subList(30, 40)).await(60, SECONDS);

    // and a second cut with a batch in flight, after the connection has been re-established once
    Future<Void> fourth = retryPublishAll(broker, events.subList(40, total));
    proxy.cut();
    await("ping reports the second outage", 30, () -> pingFails(broker));
    proxy.restore();
    fourth.await(60, SECONDS);
    await("every event arrives", 60, () -> recorder.received(total));

    List<Long> firstArrivals = recorder.events().stream().map(RecordedEvent::position).distinct().toList();
    assertThat(firstArrivals).as("each event, by its first arrival").containsExactlyElementsOf(
        events.stream().map(RecordedEvent::position).toList());
  }

  @Test
  @DisplayName("publish, subscribe and ping fail with BrokerUnavailableException before start and after close")
  void unavailableOutsideItsLifecycle() throws Exception {
    MessageBroker broker = newBroker(vertx, namespace, "127.0.0.1", brokerPort());
    RecordedEvent event = new RecordedEvent(1, "order-a", orderPaid("a"));
    assertThat(failureOf(broker.publish(event))).isInstanceOf(BrokerUnavailableException.class);
    assertThat(failureOf(broker.ping())).isInstanceOf(BrokerUnavailableException.class);

    started(broker);
    broker.ping().await(20, SECONDS);
    broker.close().await(20, SECONDS);

    assertThat(failureOf(broker.publish(event))).isInstanceOf(BrokerUnavailableException.class);
    assertThat(failureOf(broker.ping())).isInstanceOf(BrokerUnavailableException.class);
    assertThat(failureOf(broker.subscribe("g", List.of("*"), Delivery::ack))).isInstanceOf(BrokerUnavailableException.class);
  }

  // -- helpers

  private Future<Void> retryPublish(MessageBroker broker, RecordedEvent event) {
    return broker.publish(event).recover(err -> {
      io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
      vertx.setTimer(500, t -> retryPublish(broker, event).onComplete(later));
      return later.future();
    });
  }

  private Future<Void> retryPublishAll(MessageBroker broker, List<RecordedEvent> batch) {
    return broker.publishAll(batch).recover(err -> {
      io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
      vertx.setTimer(200, t -> retryPublishAll(broker, batch).onComplete(later));
      return later.future();
    });
  }

  private static boolean pingFails(MessageBroker broker) {
    Future<Void> ping = broker.ping();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!ping.isComplete() && System.nanoTime() < deadline) {
      TestEvents.pause(20);
    }
    return !ping.isComplete() || ping.failed();
  }

  protected static Throwable failureOf(Future<?> future) {
    await("the future completes", 20, future::isComplete);
    assertThat(future.failed()).as("the future failed (it succeeded with %s)", future.result()).isTrue();
    return future.cause();
  }

  protected static void await(String what, int seconds, BooleanSupplier condition) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + seconds + " s waiting until " + what);
      }
      TestEvents.pause(10);
    }
  }

  /** Positions received at least twice: duplicates an at-least-once broker may deliver. */
  protected static Set<Long> duplicates(List<RecordedEvent> events) {
    Set<Long> seen = new HashSet<>();
    Set<Long> twice = new HashSet<>();
    for (RecordedEvent e : events) {
      if (!seen.add(e.position())) {
        twice.add(e.position());
      }
    }
    return twice;
  }
}
