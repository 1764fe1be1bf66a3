package io.herald.projection.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.event.DomainEvent;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.SampleEvents;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.UserRegistered;
import io.herald.projection.ProjectionHandler;
import io.herald.projection.ProjectionOptions;
import io.herald.projection.ProjectionRunner;
import io.herald.projection.ProjectionState;
import io.herald.store.AppendResult;
import io.herald.store.EventStore;
import io.herald.testing.Futures;
import io.herald.testing.StoreTestBase;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every document store must show. Documents are written the real way: events appended to the store
 * under test's event store, applied by a {@link ProjectionRunner} through {@link DocumentStore#projection}. Each test
 * has its own prefix for ids, collections and projection names, and its projectors ignore every other test's events.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class DocumentStoreContract extends StoreTestBase {

  protected static final EventFactory EVENTS = new EventFactory(BlueprintEvents.registry(), "/test/documents");

  protected DocumentStore documents;
  private final List<ProjectionRunner> runners = new CopyOnWriteArrayList<>();

  /** @return the document store under test, over the event store {@link #openStore} opened */
  protected abstract DocumentStore openDocuments(EventStore store);

  @BeforeAll
  void openDocumentStore() {
    documents = openDocuments(store);
  }

  @AfterEach
  void stopRunners() {
    for (ProjectionRunner runner : runners) {
      await(runner.stop());
    }
    runners.clear();
  }

  protected static <T> T await(Future<T> future) {
    return Futures.await(future);
  }

  protected static String unique() {
    return "d" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "-";
  }

  /**
   * A shop's read model: users with their order count, orders with their status. It reacts only to ids that start
   * with its prefix, and logs what every update's change was given.
   */
  protected static final class Shop implements DocumentProjector {
    final String prefix;
    final String users;
    final String orders;
    final Queue<String> changes = new ConcurrentLinkedQueue<>();

    Shop(String prefix) {
      this(prefix, prefix);
    }

    /** Ids start with {@code prefix}, collection names with {@code collections}. */
    Shop(String prefix, String collections) {
      this.prefix = prefix;
      this.users = collections + "users";
      this.orders = collections + "orders";
    }

    Set<String> collections() {
      return Set.of(users, orders);
    }

    @Override
    public Future<Void> apply(DocumentWriter writer, RecordedEvent event) {
      DomainEvent data = event.data();
      if (data instanceof UserRegistered u && u.userId().startsWith(prefix)) {
        return writer.put(users, u.userId(), new JsonObject().put("userId", u.userId()).put("email", u.email())
            .put("username", u.username()).put("orders", 0));
      }
      if (data instanceof OrderCreated o && o.orderId().startsWith(prefix)) {
        long quantity = o.items().stream().mapToLong(OrderItem::quantity).sum();
        JsonObject order = new JsonObject().put("orderId", o.orderId()).put("userId", o.userId()).put("status", "created")
            .put("items", o.items().size())       // an int
            .put("quantity", quantity)            // a long
            .put("multi", o.items().size() > 1);
        return writer.put(orders, o.orderId(), order)
            .compose(v -> writer.update(users, o.userId(), user -> {
              changes.add("count:" + o.userId() + ":" + (user == null ? "none" : user.getInteger("orders")));
              return user == null ? null : user.put("orders", user.getInteger("orders") + 1);
            }));
      }
      if (data instanceof OrderPaid p && p.orderId().startsWith(prefix)) {
        return writer.update(orders, p.orderId(), order -> {
          changes.add("pay:" + p.orderId() + ":" + (order == null ? "none" : order.getString("status")));
          return order == null ? null : order.put("status", "paid").put("paymentId", p.paymentId());
        });
      }
      if (data instanceof OrderShipped s && s.orderId().startsWith(prefix)) {
        // only a paid order ships: anything else is left exactly as it is
        return writer.update(orders, s.orderId(), order -> {
          changes.add("ship:" + s.orderId() + ":" + (order == null ? "none" : order.getString("status")));
          return order == null || !"paid".equals(order.getString("status")) ? null : order.put("status", "shipped");
        });
      }
      if (data instanceof OrderCancelled c && c.orderId().startsWith(prefix)) {
        return writer.delete(orders, c.orderId());
      }
      return Future.succeededFuture();
    }
  }

  /** One audit entry per event of a prefix, keyed by position, in a collection a {@link Shop} does not own. */
  protected static DocumentProjector audit(String prefix, String collection) {
    return (writer, event) -> event.envelope().subject().startsWith(prefix)
        ? writer.put(collection, String.valueOf(event.position()), new JsonObject().put("type", event.type())
            .put("subject", event.envelope().subject()))
        : Future.succeededFuture();
  }

  protected ProjectionRunner run(String name, Set<String> collections, DocumentProjector projector) {
    return run(name, documents.projection(name, collections, projector));
  }

  protected ProjectionRunner run(String name, ProjectionHandler handler) {
    return run(name, handler, new ProjectionOptions(5, 50));
  }

  /** Starts a runner, stopped after the test. */
  protected ProjectionRunner run(String name, ProjectionHandler handler, ProjectionOptions options) {
    ProjectionRunner runner = new ProjectionRunner(vertx, store, store.checkpoints(), name, handler, options);
    runners.add(runner);
    await(runner.start());
    return runner;
  }

  protected ProjectionRunner run(Shop shop) {
    return run(shop.prefix + "shop", shop.collections(), shop);
  }

  /** Waits until the runner has applied {@code position}; fails if its handler failed before. */
  protected static void caughtUp(ProjectionRunner runner, long position) {
    await(runner.awaitPosition(position, 20_000));
    assertThat(runner.state()).isNotEqualTo(ProjectionState.FAILED);
  }

  /** Appends the events, in this order, as one stream of their own; positions are contiguous. */
  protected AppendResult append(DomainEvent... events) {
    return await(store.append("test-" + UUID.randomUUID(), EventStore.ANY_VERSION,
        Arrays.stream(events).map(EVENTS::create).toList()));
  }

  protected static UserRegistered user(String id) {
    return new UserRegistered(id, id + "@example.org", "name of " + id);
  }

  /** An order of {@code quantities.length} items with these quantities. */
  protected static OrderCreated order(String orderId, String userId, int... quantities) {
    List<OrderItem> items = IntStream.range(0, quantities.length)
        .mapToObj(i -> new OrderItem("sku-" + i, quantities[i], new BigDecimal("1.50"))).toList();
    return new OrderCreated(orderId, userId, userId + "@example.org", items, new BigDecimal("1.50"),
        SampleEvents.ADDRESS, "tok_visa");
  }

  protected static OrderPaid paid(String orderId) {
    return new OrderPaid(orderId, "pay-" + orderId, new BigDecimal("1.50"));
  }

  protected List<String> ids(String collection, DocumentQuery query, String field) {
    return await(documents.find(collection, query)).stream().map(doc -> doc.getString(field)).toList();
  }

  private static JsonObject expectedUser(String id, int orders) {
    return new JsonObject().put("userId", id).put("email", id + "@example.org").put("username", "name of " + id)
        .put("orders", orders);
  }

  @Test
  @DisplayName("get of an id the collection does not hold is empty")
  void missingIdIsEmpty() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    ProjectionRunner runner = run(shop);
    caughtUp(runner, append(user(ada)).lastPosition());

    assertThat(await(documents.get(shop.users, ada))).as("the document that was written").isPresent();
    assertThat(await(documents.get(shop.users, shop.prefix + "nobody"))).isEmpty();
    assertThat(await(documents.get(shop.orders, ada))).as("the same id in another collection").isEmpty();
    assertThat(await(documents.get(shop.prefix + "nowhere", ada))).as("a collection never written").isEmpty();
    assertThat(await(documents.find(shop.prefix + "nowhere", DocumentQuery.all()))).isEmpty();
  }

  @Test
  @DisplayName("a written document reads back equal, and changing what get, find or the projector hold changes nothing stored")
  void putThenGetReturnsEqualCopies() {
    String prefix = unique();
    String collection = prefix + "users";
    String ada = prefix + "ada";
    List<JsonObject> written = new CopyOnWriteArrayList<>();
    // a careless projector that keeps changing the object after it was put
    DocumentProjector careless = (writer, event) -> {
      if (!(event.data() instanceof UserRegistered u && u.userId().startsWith(prefix))) {
        return Future.succeededFuture();
      }
      JsonObject doc = expectedUser(u.userId(), 0).put("address", new JsonObject().put("city", "Zürich"))
          .put("tags", new JsonArray().add("new").add(7));
      written.add(doc);
      return writer.put(collection, u.userId(), doc).onSuccess(v -> doc.put("email", "changed@projector")
          .getJsonObject("address").put("city", "changed"));
    };
    ProjectionRunner runner = run(prefix + "careless", Set.of(collection), careless);
    caughtUp(runner, append(user(ada)).lastPosition());
    JsonObject expected = expectedUser(ada, 0).put("address", new JsonObject().put("city", "Zürich"))
        .put("tags", new JsonArray().add("new").add(7));
    assertThat(written).hasSize(1);
    assertThat(written.get(0).getString("email")).as("the projector's object was changed").isEqualTo("changed@projector");

    JsonObject got = await(documents.get(collection, ada)).orElseThrow();
    assertThat(got).isEqualTo(expected);

    got.put("email", "changed@get").remove("username");
    got.getJsonObject("address").put("city", "changed");
    JsonObject found = await(documents.find(collection, DocumentQuery.all())).get(0);
    assertThat(found).isEqualTo(expected);
    found.put("email", "changed@find");
    found.getJsonArray("tags").clear();

    assertThat(await(documents.get(collection, ada))).contains(expected);
    assertThat(await(documents.find(collection, DocumentQuery.all()))).containsExactly(expected);
  }

  @Test
  @DisplayName("update() gets the current document or null, and a change returning null leaves everything as it was")
  void updateWithNullChangeLeavesThingsUnchanged() {
    Shop shop = new Shop(unique());
    String open = shop.prefix + "open";
    String ghost = shop.prefix + "ghost";
    String stranger = shop.prefix + "stranger";
    ProjectionRunner runner = run(shop);

    long last = append(order(open, stranger, 2, 1),     // its user is unknown: the count update changes nothing
        new OrderShipped(open, "s-1"),                   // not paid: left as it is
        paid(ghost),                                     // no such order: nothing created
        new OrderShipped(ghost, "s-2")).lastPosition();
    caughtUp(runner, last);

    assertThat(shop.changes).containsExactly("count:" + stranger + ":none", "ship:" + open + ":created",
        "pay:" + ghost + ":none", "ship:" + ghost + ":none");
    assertThat(await(documents.get(shop.orders, open))).contains(new JsonObject().put("orderId", open)
        .put("userId", stranger).put("status", "created").put("items", 2).put("quantity", 3L).put("multi", true));
    assertThat(await(documents.get(shop.orders, ghost))).isEmpty();
    assertThat(await(documents.get(shop.users, stranger))).isEmpty();
    assertThat(ids(shop.orders, DocumentQuery.all(), "orderId")).containsExactly(open);
    assertThat(await(documents.find(shop.users, DocumentQuery.all()))).isEmpty();
  }

  @Test
  @DisplayName("find() lists by the position of the event that first wrote a document; a later update keeps it")
  void findOrdersBySeqOfFirstWrite() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    String c = shop.prefix + "c";
    String a = shop.prefix + "a";
    String b = shop.prefix + "b";
    ProjectionRunner runner = run(shop);

    append(user(ada));
    long cAt = append(order(c, ada, 1)).lastPosition();
    long aAt = append(order(a, ada, 1)).lastPosition();
    append(order(b, ada, 1));
    long last = append(paid(c)).lastPosition();     // rewrites c, and ada was rewritten by every order
    caughtUp(runner, last);

    assertThat(ids(shop.orders, DocumentQuery.all(), "orderId")).containsExactly(c, a, b);
    assertThat(await(documents.get(shop.orders, c)).orElseThrow().getString("status")).isEqualTo("paid");
    assertThat(ids(shop.orders, DocumentQuery.all().after(cAt), "orderId")).as("c keeps the seq of its creation")
        .containsExactly(a, b);
    assertThat(ids(shop.orders, DocumentQuery.all().after(aAt), "orderId")).containsExactly(b);
    assertThat(await(documents.get(shop.users, ada))).contains(expectedUser(ada, 3));
    assertThat(ids(shop.users, DocumentQuery.all().after(cAt - 1), "userId")).as("ada was first written before c")
        .isEmpty();
  }

  @Test
  @DisplayName("find() matches strings, numbers whatever their Java type, and booleans, all fields at once")
  void findMatching() {
    assertFindsMatching(new Shop(unique()), false);
  }

  @Test
  @DisplayName("with a content index on its collections, find() gives the same answers; asking again changes nothing")
  void findMatchingWithContentIndex() {
    assertFindsMatching(new Shop(unique()), true);
  }

  @Test
  @DisplayName("find() serves collections of any name: spaces, quotes, accents, over forty characters")
  void findMatchingAnyName() {
    String prefix = unique();
    assertFindsMatching(new Shop(prefix, prefix + "it's a shop, \"Süd\", with a name well over forty characters: "), false);
  }

  @Test
  @DisplayName("with indexes on the fields it matches, find() gives the same answers")
  void findMatchingWithFieldIndexes() {
    Shop shop = new Shop(unique());
    for (String field : List.of("status", "items", "quantity", "multi", "userId")) {
      await(documents.indexField(shop.orders, field));
    }
    await(documents.indexField(shop.users, "orders"));
    assertFindsMatching(shop, false);
  }

  private void assertFindsMatching(Shop shop, boolean indexed) {
    if (indexed) {
      await(documents.indexContent(shop.orders));
      await(documents.indexContent(shop.users));
    }
    String ada = shop.prefix + "ada";
    String o1 = shop.prefix + "o1";
    String o2 = shop.prefix + "o2";
    String o3 = shop.prefix + "o3";
    String o4 = shop.prefix + "o4";
    ProjectionRunner runner = run(shop);

    long last = append(user(ada),
        order(o1, ada, 1, 3),       // items 2, quantity 4
        order(o2, ada, 4),          // items 1, quantity 4
        order(o3, ada, 2, 2, 1),    // items 3, quantity 5
        order(o4, ada, 2, 3),       // items 2, quantity 5
        paid(o1), paid(o4)).lastPosition();
    caughtUp(runner, last);

    DocumentQuery all = DocumentQuery.all();
    assertThat(ids(shop.orders, all.where("status", "paid"), "orderId")).containsExactly(o1, o4);
    assertThat(ids(shop.orders, all.where("status", "created"), "orderId")).containsExactly(o2, o3);
    assertThat(ids(shop.orders, all.where("items", 2), "orderId")).as("int 2 against a stored int").containsExactly(o1, o4);
    assertThat(ids(shop.orders, all.where("items", 2L), "orderId")).as("long 2 against a stored int").containsExactly(o1, o4);
    assertThat(ids(shop.orders, all.where("quantity", 4), "orderId")).as("int 4 against a stored long").containsExactly(o1, o2);
    assertThat(ids(shop.orders, all.where("quantity", 4L), "orderId")).as("long 4 against a stored long").containsExactly(o1, o2);
    assertThat(ids(shop.orders, all.where("multi", false), "orderId")).containsExactly(o2);
    assertThat(ids(shop.orders, all.where("status", "paid").where("quantity", 5).where("userId", ada), "orderId"))
        .as("every field must match").containsExactly(o4);
    assertThat(ids(shop.orders, all.where("userId", ada), "orderId")).containsExactly(o1, o2, o3, o4);

    assertThat(ids(shop.orders, all.where("items", "2"), "orderId")).as("a string never matches a number").isEmpty();
    assertThat(ids(shop.orders, all.where("status", "PAID"), "orderId")).isEmpty();
    assertThat(ids(shop.orders, all.where("items", 7), "orderId")).isEmpty();
    assertThat(ids(shop.orders, all.where("coupon", "none"), "orderId")).as("a field no document has").isEmpty();
    assertThat(ids(shop.users, all.where("orders", 4L), "userId")).containsExactly(ada);
    assertThat(ids(shop.orders, all, "orderId")).as("no field to match").containsExactly(o1, o2, o3, o4);
    assertThat(ids(shop.orders, all.where("userId", ada).limit(2), "orderId")).containsExactly(o1, o2);
    if (indexed) {
      await(documents.indexContent(shop.orders));
      assertThat(ids(shop.orders, all.where("status", "paid"), "orderId")).containsExactly(o1, o4);
    }
  }

  @Test
  @DisplayName("find() returns only documents first written after afterSeq, at most limit of them")
  void afterSeqAndLimit() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    List<String> orders = new ArrayList<>();
    List<Long> positions = new ArrayList<>();
    ProjectionRunner runner = run(shop);
    append(user(ada));
    for (int i = 1; i <= 4; i++) {
      String id = shop.prefix + "o" + i;
      orders.add(id);
      positions.add(append(order(id, ada, i)).lastPosition());
    }
    caughtUp(runner, append(paid(orders.get(1))).lastPosition());

    DocumentQuery all = DocumentQuery.all();
    assertThat(ids(shop.orders, all.limit(2), "orderId")).containsExactly(orders.get(0), orders.get(1));
    assertThat(ids(shop.orders, all.after(positions.get(1)), "orderId")).containsExactly(orders.get(2), orders.get(3));
    assertThat(ids(shop.orders, all.after(positions.get(0)).limit(2), "orderId")).containsExactly(orders.get(1), orders.get(2));
    assertThat(ids(shop.orders, all.after(positions.get(0) - 1), "orderId")).as("afterSeq is exclusive").containsExactlyElementsOf(orders);
    assertThat(ids(shop.orders, all.after(positions.get(3)), "orderId")).isEmpty();
    assertThat(ids(shop.orders, all.limit(1), "orderId")).containsExactly(orders.get(0));
    assertThat(ids(shop.orders, all.where("status", "created").after(positions.get(0)).limit(1), "orderId"))
        .as("limit counts matching documents only").containsExactly(orders.get(2));
  }

  @Test
  @DisplayName("delete removes one document and leaves the others; deleting a missing one is harmless")
  void delete() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    String o1 = shop.prefix + "o1";
    String o2 = shop.prefix + "o2";
    String o3 = shop.prefix + "o3";
    ProjectionRunner runner = run(shop);

    long last = append(user(ada), order(o1, ada, 1), order(o2, ada, 1), order(o3, ada, 1),
        new OrderCancelled(o2, "changed my mind"), new OrderCancelled(shop.prefix + "ghost", "never existed")).lastPosition();
    caughtUp(runner, last);

    assertThat(await(documents.get(shop.orders, o2))).isEmpty();
    assertThat(await(documents.get(shop.orders, o1))).isPresent();
    assertThat(ids(shop.orders, DocumentQuery.all(), "orderId")).containsExactly(o1, o3);
    assertThat(ids(shop.orders, DocumentQuery.all().where("items", 1), "orderId")).containsExactly(o1, o3);
    assertThat(await(documents.get(shop.users, ada))).as("other collections untouched").contains(expectedUser(ada, 3));
  }

  @Test
  @DisplayName("reset() empties the collections the projection owns and no other")
  void resetEmptiesOnlyOwnedCollections() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    String auditLog = shop.prefix + "audit";
    ProjectionHandler shopHandler = documents.projection(shop.prefix + "shop", shop.collections(), shop);
    ProjectionRunner shopRunner = run(shop.prefix + "shop", shopHandler);
    ProjectionRunner auditRunner = run(shop.prefix + "audit", Set.of(auditLog), audit(shop.prefix, auditLog));
    long last = append(user(ada), order(shop.prefix + "o1", ada, 1)).lastPosition();
    caughtUp(shopRunner, last);
    caughtUp(auditRunner, last);
    await(shopRunner.stop());
    assertThat(await(documents.find(shop.users, DocumentQuery.all()))).hasSize(1);
    assertThat(await(documents.find(shop.orders, DocumentQuery.all()))).hasSize(1);

    await(shopHandler.reset());

    assertThat(await(documents.find(shop.users, DocumentQuery.all()))).isEmpty();
    assertThat(await(documents.find(shop.orders, DocumentQuery.all()))).isEmpty();
    assertThat(await(documents.get(shop.users, ada))).isEmpty();
    assertThat(await(documents.find(auditLog, DocumentQuery.all()))).as("a collection another projection owns")
        .hasSize(2);
  }

  @Test
  @DisplayName("a rebuild empties the owned collections and replays them into the very same documents, in the same order")
  void rebuildRecreatesTheSameDocuments() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    String bob = shop.prefix + "bob";
    String auditLog = shop.prefix + "audit";
    ProjectionRunner runner = run(shop);
    ProjectionRunner auditRunner = run(shop.prefix + "audit", Set.of(auditLog), audit(shop.prefix, auditLog));
    long last = append(user(ada), user(bob), order(shop.prefix + "o2", bob, 1, 1), order(shop.prefix + "o1", ada, 3),
        paid(shop.prefix + "o2"), new OrderShipped(shop.prefix + "o2", "s-1"), order(shop.prefix + "o3", ada, 1),
        new OrderCancelled(shop.prefix + "o3", "duplicate")).lastPosition();
    caughtUp(runner, last);
    caughtUp(auditRunner, last);
    List<JsonObject> users = await(documents.find(shop.users, DocumentQuery.all()));
    List<JsonObject> orders = await(documents.find(shop.orders, DocumentQuery.all()));
    List<JsonObject> audit = await(documents.find(auditLog, DocumentQuery.all()));
    List<String> afterFirstOrder = ids(shop.orders, DocumentQuery.all().after(last - 5), "orderId");
    assertThat(users).containsExactly(expectedUser(ada, 2), expectedUser(bob, 1));
    assertThat(orders).extracting(o -> o.getString("orderId") + ":" + o.getString("status"))
        .containsExactly(shop.prefix + "o2:shipped", shop.prefix + "o1:created");

    await(runner.rebuild());
    caughtUp(runner, last);

    // a replay over documents that had not been emptied would count every order twice
    assertThat(await(documents.find(shop.users, DocumentQuery.all()))).isEqualTo(users);
    assertThat(await(documents.find(shop.orders, DocumentQuery.all()))).isEqualTo(orders);
    assertThat(ids(shop.orders, DocumentQuery.all().after(last - 5), "orderId")).isEqualTo(afterFirstOrder)
        .containsExactly(shop.prefix + "o1");
    assertThat(await(documents.find(auditLog, DocumentQuery.all()))).as("not owned, not rebuilt").isEqualTo(audit)
        .hasSize(8);
  }

  @Test
  @DisplayName("a DocumentQuery refuses a limit outside 1..MAX_LIMIT, a negative afterSeq and non-scalar matching values")
  void queryValidation() {
    DocumentQuery all = DocumentQuery.all();
    assertThatThrownBy(() -> all.limit(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> all.limit(-5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> all.limit(DocumentQuery.MAX_LIMIT + 1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> all.after(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("afterSeq");
    assertThatThrownBy(() -> all.where("address", new JsonObject().put("city", "Zürich")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'address'");
    assertThatThrownBy(() -> all.where("tags", new JsonArray().add("a"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'tags'");
    assertThatThrownBy(() -> new DocumentQuery(new JsonObject().put("items", List.of(1, 2)), 0, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'items'");
    assertThatThrownBy(() -> new DocumentQuery(null, 0, 10)).isInstanceOf(NullPointerException.class);

    assertThatCode(() -> all.limit(1).limit(DocumentQuery.MAX_LIMIT).after(0)
        .where("s", "x").where("i", 1).where("l", 2L).where("d", 2.5).where("b", true)).doesNotThrowAnyException();

    JsonObject matching = new JsonObject().put("status", "paid");
    DocumentQuery query = new DocumentQuery(matching, 0, 10);
    matching.put("status", new JsonObject());
    assertThat(query.matching()).as("the query keeps its own copy").isEqualTo(new JsonObject().put("status", "paid"));
    assertThat(query.where("items", 2).matching()).isEqualTo(new JsonObject().put("status", "paid").put("items", 2));
    assertThat(query.matching()).as("where() returns a new query").isEqualTo(new JsonObject().put("status", "paid"));
  }

  @Test
  @DisplayName("a query at the limits of DocumentQuery runs against the store")
  void queryAtItsLimits() {
    Shop shop = new Shop(unique());
    String ada = shop.prefix + "ada";
    ProjectionRunner runner = run(shop);
    caughtUp(runner, append(user(ada)).lastPosition());

    assertThat(ids(shop.users, new DocumentQuery(new JsonObject(), 0, DocumentQuery.MAX_LIMIT), "userId"))
        .containsExactly(ada);
    assertThat(ids(shop.users, new DocumentQuery(new JsonObject(), Long.MAX_VALUE - 1, 1), "userId")).isEmpty();
  }
}
