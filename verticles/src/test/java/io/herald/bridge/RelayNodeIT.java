package io.herald.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.broker.EventConsumers;
import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.UserRegistered;
import io.herald.launcher.Deployment;
import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceDefinition;
import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.config.HeraldConfig;
import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.herald.store.pg.PgTestDatabase;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay service inside a running node: what is stored reaches the broker's consumer groups, once. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("The relay service in a node")
class RelayNodeIT {

  private static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/herald/test");
  private static Vertx admin;

  @BeforeAll
  static void setUp() {
    admin = Vertx.vertx();
  }

  @AfterAll
  static void tearDown() {
    admin.close().await();
  }

  private static HeraldConfig config(String storeType, String schema) {
    return HeraldConfig.from(new JsonObject()
        .put("http", new JsonObject().put("port", 0))
        .put("store", new JsonObject().put("type", storeType)
            .put("postgres", new JsonObject().put("schema", schema)))
        .put("relay", new JsonObject().put("checkpointIntervalMs", 50)));
  }

  private static List<EventEnvelope> users(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> EVENTS.create(new UserRegistered(prefix + i, prefix + i + "@example.org", prefix))).toList();
  }

  /** A consuming service deployed before the relay, as real services are, so it sees every published event. */
  private static final class AuditVerticle extends VerticleBase {
    private final List<RecordedEvent> seen;
    private final io.herald.broker.MessageBroker[] broker;

    AuditVerticle(List<RecordedEvent> seen, io.herald.broker.MessageBroker[] broker) {
      this.seen = seen;
      this.broker = broker;
    }

    @Override
    public Future<?> start() {
      return new EventConsumers(broker[0]).subscribe("audit", List.of("user.*"), event -> {
        seen.add(event);
        return Future.succeededFuture();
      });
    }
  }

  private static HeraldNode startWithAudit(HeraldConfig config, List<RecordedEvent> seen) {
    io.herald.broker.MessageBroker[] broker = new io.herald.broker.MessageBroker[1];
    ServiceDefinition audit = new ServiceDefinition("audit", "records user events", ctx -> {
      broker[0] = ctx.broker();
      return ctx.vertx().deployVerticle(new AuditVerticle(seen, broker)).map(Deployment::of);
    });
    ServiceCatalogue standard = ServiceCatalogue.standard();
    ServiceCatalogue catalogue = new ServiceCatalogue(List.of(audit,
        standard.find(ServiceCatalogue.RELAY).orElseThrow(), standard.find(ServiceCatalogue.GATEWAY).orElseThrow()));
    return HeraldNode.start(config, List.of("test"), catalogue).await();
  }

  private static List<RecordedEvent> consume(HeraldNode node, String group) {
    List<RecordedEvent> seen = Collections.synchronizedList(new ArrayList<>());
    BrokerSubscription subscription = new EventConsumers(node.broker())
        .subscribe(group, List.of("user.*"), event -> {
          seen.add(event);
          return Future.succeededFuture();
        }).await();
    assertThat(subscription.group()).isEqualTo(group);
    return seen;
  }

  private static void waitFor(List<?> list, int size) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    while (list.size() < size && System.currentTimeMillis() < deadline) {
      Thread.sleep(10);
    }
    assertThat(list).as("deliveries").hasSizeGreaterThanOrEqualTo(size);
  }

  @Test
  @DisplayName("embedded: stored events reach two consumer groups as stored and in order, and readiness shows the relay")
  void embeddedDelivery() throws Exception {
    HeraldNode node = HeraldNode.start(config("memory", "unused"), List.of("test"), ServiceCatalogue.standard()).await();
    try {
      List<RecordedEvent> audit = consume(node, "audit");
      List<RecordedEvent> analytics = consume(node, "analytics");
      List<EventEnvelope> written = users("u", 20);
      node.store().append("user-embedded", EventStore.NO_STREAM, written).await();

      waitFor(audit, 20);
      waitFor(analytics, 20);
      Thread.sleep(200);   // nothing more may arrive

      assertThat(audit).extracting(e -> e.envelope().id()).containsExactlyElementsOf(written.stream().map(EventEnvelope::id).toList());
      assertThat(analytics).containsExactlyElementsOf(audit);
      assertThat(audit).extracting(RecordedEvent::version).isSorted();
      JsonObject report = node.health().report().await();
      JsonObject relay = report.getJsonArray("checks").stream().map(JsonObject.class::cast)
          .filter(c -> "relay".equals(c.getString("name"))).findFirst().orElseThrow();
      assertThat(relay.getString("status")).isEqualTo("UP");
    } finally {
      node.stop().await(10, TimeUnit.SECONDS);
    }
  }

  @Test
  @DisplayName("postgres: after a restart the relay resumes from its checkpoint, losing and re-sending nothing")
  void resumesAfterRestart() throws Exception {
    PgStoreOptions options = PgTestDatabase.freshSchema("relay_it");
    try {
      List<RecordedEvent> before = Collections.synchronizedList(new ArrayList<>());
      HeraldNode first = startWithAudit(config("postgres", options.schema()), before);
      try {
        first.store().append("user-a", EventStore.NO_STREAM, users("a", 10)).await();
        waitFor(before, 10);
      } finally {
        first.stop().await(10, TimeUnit.SECONDS);
      }

      // written while no node runs
      PgEventStore offline = PgEventStore.connect(admin, options, BlueprintEvents.registry()).await();
      List<EventEnvelope> whileDown = users("b", 5);
      offline.append("user-b", EventStore.NO_STREAM, whileDown).await();
      offline.close().await();

      List<RecordedEvent> after = Collections.synchronizedList(new ArrayList<>());
      HeraldNode second = startWithAudit(config("postgres", options.schema()), after);
      try {
        List<EventEnvelope> afterRestart = users("c", 3);
        second.store().append("user-c", EventStore.NO_STREAM, afterRestart).await();
        waitFor(after, 8);
        Thread.sleep(300);

        assertThat(before).hasSize(10);
        List<EventEnvelope> expected = new ArrayList<>(whileDown);
        expected.addAll(afterRestart);
        assertThat(after).extracting(e -> e.envelope().id())
            .containsExactlyElementsOf(expected.stream().map(EventEnvelope::id).toList());
      } finally {
        second.stop().await(10, TimeUnit.SECONDS);
      }
    } finally {
      PgTestDatabase.drop(admin, options);
    }
  }
}
