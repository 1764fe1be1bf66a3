package io.herald.api;

import static io.herald.api.ApiNode.eventually;
import static io.herald.api.ApiNode.problem;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.TypePatterns;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.InventoryAdjusted;
import io.herald.event.EventEnvelope;
import io.herald.store.EventStore;
import io.herald.store.pg.FreshSchema;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The live feeds over real connections: {@code GET /api/feed} with an SSE client, {@code GET /api/feed/ws} with a
 * WebSocket client and the SockJS bridge's raw WebSocket transport, against a whole node.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
@DisplayName("Live feeds")
class FeedApiIT {

  static final int BUFFER_EVENTS = 20;
  static final int MAX_CLIENTS = 12;

  abstract static class Contract {

    private ApiNode api;
    private Vertx clients;

    abstract List<String> profiles();

    abstract Map<String, String> settings();

    void afterNode() {
    }

    @BeforeAll
    void start() {
      Map<String, String> settings = new HashMap<>(settings());
      settings.put("feed.heartbeatMs", "300");
      settings.put("feed.bufferEvents", String.valueOf(BUFFER_EVENTS));
      settings.put("feed.maxClients", String.valueOf(MAX_CLIENTS));
      settings.put("feed.catchUpPageSize", "7"); // several pages even for a short catch-up
      api = ApiNode.start(profiles(), settings);
      clients = Vertx.vertx();
    }

    @AfterAll
    void stop() {
      if (clients != null) {
        Futures.await(clients.close());
      }
      if (api != null) {
        api.close();
      }
      afterNode();
    }

    private SseClient sse(String path) {
      return SseClient.open(clients, api.node().httpPort(), path, null, api.token());
    }

    /** Every stored event of the given types, as {@code GET /api/events} lists them. */
    private List<JsonObject> stored(String types) {
      TypePatterns patterns = TypePatterns.of(List.of(types.split(",")));
      List<JsonObject> events = new ArrayList<>();
      long from = 1;
      while (true) {
        JsonObject page = api.getOk("/api/events?from=" + from + "&limit=1000");
        JsonArray batch = page.getJsonArray("events");
        if (batch.isEmpty()) {
          return events;
        }
        batch.stream().map(JsonObject.class::cast).filter(e -> patterns.matches(e.getString("type"))).forEach(events::add);
        from = page.getLong("next");
      }
    }

    private static List<Long> positions(List<JsonObject> events) {
      return events.stream().map(e -> e.getLong("position")).toList();
    }

    @Test
    @DisplayName("SSE: catch-up from the store, then live, in global order; id is the position; only the asked types")
    void sseCatchUpThenLive() {
      String types = "order.*,user.registered";
      ApiNode.User first = api.registerUser();
      api.placeOrder(first.userId(), "tok_visa");
      try (SseClient feed = sse("/api/feed?types=" + types + "&from=1")) {
        assertThat(feed.status()).isEqualTo(200);
        assertThat(feed.contentType()).startsWith("text/event-stream");
        List<Long> before = positions(stored(types));
        eventually(feed::events, events -> events.size() >= before.size());

        ApiNode.User second = api.registerUser();
        ApiNode.Order order = api.placeOrder(second.userId(), "tok_visa");
        List<SseClient.Message> events = eventually(feed::events,
            all -> all.stream().anyMatch(m -> m.position() == order.position()));

        List<Long> ids = events.stream().map(SseClient.Message::position).toList();
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        long last = ids.get(ids.size() - 1);
        // exactly what the store holds of those types up to there: no gap, nothing extra
        assertThat(ids).isEqualTo(positions(stored(types)).stream().filter(p -> p <= last).toList());
        for (SseClient.Message message : events) {
          JsonObject event = message.json();
          assertThat(event.getLong("position")).isEqualTo(message.position());
          assertThat(event.getString("specversion")).isEqualTo("1.0");
          assertThat(event.getString("type")).matches("order\\..+|user\\.registered");
        }
        assertThat(events).anyMatch(m -> m.position() == second.position()
            && second.userId().equals(m.json().getString("subject")));
      }
    }

    @Test
    @DisplayName("SSE: Last-Event-ID resumes right after that position, whatever 'from' says")
    void lastEventIdResumes() {
      api.registerUser();
      api.registerUser();
      api.registerUser();
      List<Long> users = positions(stored("user.registered"));
      long seen = users.get(users.size() - 3);
      try (SseClient feed = SseClient.open(clients, api.node().httpPort(), "/api/feed?types=user.registered&from=1",
          String.valueOf(seen), api.token())) {
        List<SseClient.Message> events = eventually(feed::events, all -> all.size() >= 2);
        assertThat(events.get(0).position()).isEqualTo(users.get(users.size() - 2));
        assertThat(events.get(1).position()).isEqualTo(users.get(users.size() - 1));
      }
    }

    @Test
    @DisplayName("SSE without 'from' starts at the head: only events stored after it connected")
    void withoutFromStartsLive() {
      api.registerUser();
      try (SseClient feed = sse("/api/feed?types=user.registered")) {
        eventually(feed::comments, n -> n >= 1); // connected
        ApiNode.User user = api.registerUser();
        List<SseClient.Message> events = eventually(feed::events, all -> !all.isEmpty());
        assertThat(events.get(0).position()).isEqualTo(user.position());
      }
    }

    @Test
    @DisplayName("an idle SSE stream gets heartbeats")
    void heartbeats() {
      try (SseClient feed = sse("/api/feed?types=nothing.matches")) {
        eventually(feed::comments, n -> n >= 3);
        assertThat(feed.events()).isEmpty();
        assertThat(feed.ended()).isFalse();
      }
    }

    @Test
    @DisplayName("bad parameters are refused with 400 before any stream starts")
    void badParameters() {
      assertThat(problem(api.get("/api/feed?from=abc"), 400).getString("detail")).contains("from");
      assertThat(problem(api.get("/api/feed?from=-3"), 400).getString("detail")).contains("from");
      assertThat(problem(api.get("/api/feed/ws?from=x"), 400).getString("detail")).contains("from");
      assertThat(problem(api.get("/api/feed/ws"), 400)).isNotNull(); // not an upgrade request
    }

    @Test
    @DisplayName("WebSocket: one CloudEvents frame per event; the client changes its subscription; bad frames get an error")
    void webSocket() {
      ApiNode.User user = api.registerUser();
      try (FeedSocket feed = FeedSocket.connect(clients, api.node().httpPort(), "/api/feed/ws?types=user.registered&from=1", api.token())) {
        JsonObject ack = eventually(() -> feed.controlFrames("subscribed"), acks -> !acks.isEmpty()).get(0);
        assertThat(ack.getJsonObject("subscribed")).isEqualTo(new JsonObject()
            .put("types", new JsonArray().add("user.registered")).put("from", 1));
        List<JsonObject> users = eventually(feed::events, all -> all.stream().anyMatch(e -> e.getLong("position") == user.position()));
        assertThat(positions(users)).isSorted().doesNotHaveDuplicates();
        assertThat(users).allMatch(e -> "user.registered".equals(e.getString("type")) && "1.0".equals(e.getString("specversion")));

        feed.send("this is not json");
        feed.send("{\"types\": 5}");
        feed.send("{\"from\": \"yesterday\"}");
        feed.socket().writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer(new byte[] {1, 2}));
        List<JsonObject> errors = eventually(() -> feed.controlFrames("error"), all -> all.size() == 4);
        assertThat(errors.get(0).getString("error")).contains("JSON");
        assertThat(errors.get(1).getString("error")).contains("types");
        assertThat(errors.get(2).getString("error")).contains("from");
        assertThat(errors.get(3).getString("error")).contains("binary");
        assertThat(feed.socket().isClosed()).isFalse();

        feed.send("{\"types\": [\"order.*\"]}");
        eventually(() -> feed.controlFrames("subscribed"), acks -> acks.size() == 2);
        int seenBefore = feed.events().size();
        api.registerUser();
        ApiNode.Order order = api.placeOrder(user.userId(), "tok_visa");
        List<JsonObject> after = eventually(() -> feed.events().subList(seenBefore, feed.events().size()),
            all -> all.stream().anyMatch(e -> e.getLong("position") == order.position()));
        assertThat(after).allMatch(e -> e.getString("type").startsWith("order."));

        feed.send("{\"types\": \"user.registered\", \"from\": " + user.position() + "}");
        List<JsonObject> replay = eventually(feed::frames, all -> all.stream()
            .filter(f -> f.containsKey("subscribed")).count() == 3 && all.get(all.size() - 1).containsKey("specversion"));
        int ackIndex = 0;
        for (int i = 0; i < replay.size(); i++) {
          if (replay.get(i).containsKey("subscribed")) {
            ackIndex = i;
          }
        }
        assertThat(replay.get(ackIndex + 1).getLong("position")).isEqualTo(user.position());
      }
    }

    @Test
    @DisplayName("a client that stops reading is disconnected with the reason; the other clients and the API carry on")
    void slowClient() {
      // more than the kernel's socket buffers on loopback hold (up to 4 MiB for the sender): about 6 MB of events
      String sku = ApiNode.unique("SKU") + "-" + "x".repeat(1_000);
      int count = 5_000;
      try (SseClient steady = sse("/api/feed?types=user.registered");
           StalledClient stalled = StalledClient.open(clients, api.node().httpPort(),
               "/api/feed?types=inventory.adjusted&access_token=" + api.token())) {
        eventually(steady::comments, n -> n >= 1);
        eventually(() -> stalled.received().contains(": connected"), connected -> connected);
        stalled.stopReading();
        append(sku, count);
        ApiNode.User user = api.registerUser();

        // the steady client hears of the new user at once, while the stalled one is cut off
        eventually(() -> steady.events().stream().anyMatch(m -> m.position() == user.position()), heard -> heard);
        assertThat(steady.ended()).isFalse();
        assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);

        stalled.readAgain();
        eventually(stalled::closed, closed -> closed);
        String received = stalled.received();
        assertThat(received).contains("event: error\ndata: {\"reason\":\"slow consumer: more than "
            + BUFFER_EVENTS + " events waiting to be sent\"}");
        assertThat(received.split("\nid: ").length).as("events the stalled client got").isLessThan(count);
      }
    }

    private void append(String sku, int count) {
      EventFactory factory = new EventFactory(BlueprintEvents.registry(), "/test/feeds");
      EventStore store = api.node().store();
      for (int done = 0; done < count; done += 100) {
        List<EventEnvelope> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          batch.add(factory.create(new InventoryAdjusted(sku, done + i)));
        }
        Futures.await(store.append("inventory-" + sku, EventStore.ANY_VERSION, batch));
      }
    }

    @Test
    @DisplayName("feed.maxClients connections at most; the next is refused with 503 until one closes")
    void maxClients() {
      List<SseClient> open = new ArrayList<>();
      try {
        SseClient refused = null;
        for (int i = 0; i <= MAX_CLIENTS && refused == null; i++) {
          SseClient client = sse("/api/feed?types=nothing");
          if (client.status() == 503) {
            refused = client;
          } else {
            assertThat(client.status()).isEqualTo(200);
            open.add(client);
          }
        }
        assertThat(refused).as("a connection beyond %s is refused", MAX_CLIENTS).isNotNull();
        assertThat(refused.problem().getString("detail")).contains("maximum of " + MAX_CLIENTS);
        refused.close();
        open.remove(0).close();
        eventually(() -> {
          try (SseClient again = sse("/api/feed?types=nothing")) {
            return again.status();
          }
        }, status -> status == 200);
      } finally {
        open.forEach(SseClient::close);
      }
    }

    @Test
    @DisplayName("SockJS bridge: a browser socket hears the feed address and may send to no service address")
    void eventBusBridge() {
      try (FeedSocket bridge = FeedSocket.connect(clients, api.node().httpPort(), "/eventbus/websocket?access_token=" + api.token(), null)) {
        bridge.send(new JsonObject().put("type", "register").put("address", "herald.feed").encode());
        bridge.send(new JsonObject().put("type", "register").put("address", "herald.user").encode());
        String email = ApiNode.uniqueEmail();
        bridge.send(new JsonObject().put("type", "send").put("address", "herald.user")
            .put("headers", new JsonObject().put("action", "register"))
            .put("body", new JsonObject().put("email", email).put("username", "mallory")).encode());
        bridge.send(new JsonObject().put("type", "publish").put("address", "herald.order")
            .put("body", new JsonObject()).encode());
        List<JsonObject> denied = eventually(() -> bridge.frames().stream()
            .filter(f -> "err".equals(f.getString("type"))).toList(), all -> all.size() == 3);
        assertThat(denied).allMatch(f -> "access_denied".equals(f.getString("body")));

        // the feed still flows over the same socket
        ApiNode.User user = api.registerUser();
        eventually(() -> bridge.frames().stream().filter(f -> "rec".equals(f.getString("type"))
            && "herald.feed".equals(f.getString("address"))).map(f -> f.getJsonObject("body")).toList(),
            bodies -> bodies.stream().anyMatch(b -> user.userId().equals(b.getString("subject"))));
        assertThat(stored("user.registered")).noneMatch(e -> e.encode().contains(email));
      }
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("embedded")
  class Embedded extends Contract {

    @Override
    List<String> profiles() {
      return List.of();
    }

    @Override
    Map<String, String> settings() {
      return Map.of();
    }
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("postgres")
  class Postgres extends Contract {

    private final FreshSchema schema = new FreshSchema("feeds_api");

    @Override
    List<String> profiles() {
      return List.of("postgres");
    }

    @Override
    Map<String, String> settings() {
      return Map.of("store.type", "postgres", "store.postgres.schema", schema.options().schema());
    }

    @Override
    void afterNode() {
      schema.drop();
    }
  }
}
