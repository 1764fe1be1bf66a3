package io.herald.bench.load;

import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.EventRegistry;
import io.herald.event.domain.Address;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.OrderCreated;
import io.herald.event.domain.OrderItem;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.launcher.CommandLine;
import io.herald.launcher.HeraldLauncher;
import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code rebuild}: times rebuilds of the {@code orders} projection on PostgreSQL over a large store, without placing
 * the orders over HTTP first. It appends the events of many orders (created, paid, shipped: three per order) straight
 * into a schema of its own, starts a node with the {@code gateway} and {@code order} services on that schema (the
 * order service's read models catch up first), then times each rebuild through the admin API with the same
 * {@link RebuildProbe} as {@code load --rebuild}. The schema is dropped at the end.
 */
public final class RebuildCommand {

  public static final String NAME = "rebuild";
  static final String USAGE = """
      Usage: java -jar herald-bench.jar rebuild [--orders N] [--runs N]
        --orders N   orders preloaded, three events each (default 70000: 210,000 events)
        --runs N     rebuilds timed one after the other (default 3)
      PostgreSQL at 127.0.0.1:5432, database test, user postgres; the run uses a schema bench_rebuild_<random> and
      drops it at the end. Prints one line per rebuild, then RESULT rebuild_events_per_s=<median>.""";

  private static final int WRITERS = 32;
  private static final EventRegistry REGISTRY = BlueprintEvents.registry();
  private static final EventFactory FACTORY = new EventFactory(REGISTRY, "/herald/order");

  private final PrintStream out;
  private final PrintStream err;

  private RebuildCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static int run(String[] args) {
    int orders = 70_000;
    int runs = 3;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--orders" -> orders = positive(args, ++i, "--orders");
          case "--runs" -> runs = positive(args, ++i, "--runs");
          case "--help", "-h" -> {
            System.out.println(USAGE);
            return 0;
          }
          default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println("rebuild: " + e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    try {
      return new RebuildCommand(System.out, System.err).measure(orders, runs);
    } catch (RuntimeException e) {
      System.err.println("rebuild: " + Failures.oneLine(e));
      return 1;
    }
  }

  private static int positive(String[] args, int i, String name) {
    if (i >= args.length) {
      throw new IllegalArgumentException(name + " needs a value");
    }
    try {
      int n = Integer.parseInt(args[i]);
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a whole number >= 1, was '" + args[i] + "'");
  }

  private int measure(int orders, int runs) {
    String schema = "bench_rebuild_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    PgStoreOptions pg = PgStoreOptions.defaults().withSchema(schema);
    Vertx vertx = Vertx.vertx();
    HeraldNode node = null;
    try {
      PgEventStore store = PgEventStore.connect(vertx, pg, REGISTRY).await();
      long start = System.nanoTime();
      preload(vertx, store, orders).await();
      err.printf(Locale.ROOT, "rebuild: preloaded %,d orders (%,d events) into schema %s in %.1f s%n", orders,
          orders * 3L, schema, (System.nanoTime() - start) / 1e9);
      store.pool().query("VACUUM ANALYZE " + schema + ".events, " + schema + ".positions").execute().await();
      store.close().await();

      Map<String, String> properties = new HashMap<>();
      properties.put("herald.http.port", String.valueOf(freePort()));
      properties.put("herald.store.postgres.schema", schema);
      node = HeraldLauncher.start(new CommandLine(List.of("postgres"), Optional.empty(),
          Optional.of(List.of("gateway", "order")), false), ServiceCatalogue.standard(), System.getenv(), properties);
      ApiClient api = new ApiClient(vertx, URI.create(node.baseUrl()), 4, node.tokenWithEveryScope(LoadTarget.TOKEN_TTL_SECONDS).orElse(null));
      List<Double> rates = new ArrayList<>();
      for (int r = 1; r <= runs; r++) {
        RebuildResult result = new RebuildProbe(vertx, api, LoadRun.PROJECTION).run().await();
        rates.add(result.eventsPerSecond());
        out.printf(Locale.ROOT, "rebuild %d: %,d events in %.2f s, %,.0f events/s%s%n", r, result.events(),
            result.elapsedNanos() / 1e9, result.eventsPerSecond(), result.observed() ? "" : " (upper bound on time)");
      }
      rates.sort(Double::compare);
      out.printf(Locale.ROOT, "RESULT rebuild_events_per_s=%.0f%n", rates.get(rates.size() / 2));
      return 0;
    } finally {
      if (node != null) {
        try {
          node.stop().await(node.config().shutdownTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
          err.println("rebuild: could not stop the node: " + e.getMessage());
        }
      }
      dropSchema(vertx, pg);
      vertx.close().await();
    }
  }

  /** Appends {@code orders} streams of created, paid, shipped from {@link #WRITERS} concurrent writers. */
  private static Future<Void> preload(Vertx vertx, PgEventStore store, int orders) {
    Promise<Void> done = Promise.promise();
    vertx.runOnContext(v -> {
      List<Future<Void>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(write(store, w, orders));
      }
      Future.all(writers).<Void>mapEmpty().onComplete(done);
    });
    return done.future();
  }

  private static Future<Void> write(PgEventStore store, int order, int orders) {
    if (order >= orders) {
      return Future.succeededFuture();
    }
    String id = String.format(Locale.ROOT, "ord-%08d", order);
    return store.append("order-" + id, EventStore.NO_STREAM, events(id)).compose(r -> write(store, order + WRITERS, orders));
  }

  private static List<EventEnvelope> events(String orderId) {
    OrderCreated created = new OrderCreated(orderId, "usr-000472", "ada@example.org",
        List.of(new OrderItem("SKU-CHAIR-01", 2, new BigDecimal("149.90")),
            new OrderItem("SKU-DESK-42", 1, new BigDecimal("389.00"))),
        new BigDecimal("688.80"), new Address("Königstraße 12", "Zürich", "8001", "CH"), "tok_visa");
    return List.of(FACTORY.create(created),
        FACTORY.create(new OrderPaid(orderId, "pay-" + orderId, new BigDecimal("688.80"))),
        FACTORY.create(new OrderShipped(orderId, "shp-" + orderId)));
  }

  private void dropSchema(Vertx vertx, PgStoreOptions pg) {
    try {
      Pool pool = PgBuilder.pool().connectingTo(pg.connectOptions()).using(vertx).build();
      pool.query("DROP SCHEMA IF EXISTS " + pg.schema() + " CASCADE").execute().await();
      pool.close().await();
    } catch (RuntimeException e) {
      err.println("rebuild: could not drop schema " + pg.schema() + ": " + e.getMessage());
    }
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("no free port for the node", e);
    }
  }
}
