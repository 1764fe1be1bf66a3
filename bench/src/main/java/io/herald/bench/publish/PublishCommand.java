package io.herald.bench.publish;

import io.herald.bench.load.LoadLogging;
import io.herald.broker.MessageBroker;
import io.herald.event.EventCodecs;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.herald.launcher.Brokers;
import io.herald.launcher.UsageException;
import io.herald.launcher.config.BrokerType;
import io.herald.launcher.config.ConfigLoader;
import io.herald.launcher.config.HeraldConfig;
import io.herald.relay.EventRelay;
import io.herald.relay.EventRelayOptions;
import io.herald.store.EventStore;
import io.herald.store.pg.PgEventStore;
import io.herald.store.pg.PgStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgBuilder;
import io.vertx.sqlclient.Pool;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code java -jar herald-bench.jar publish}: publish throughput of Herald's broker adapters beside the brokers' own clients
 * (same events, same confirmation), and optionally of the relay from the PostgreSQL store. Runs on the calling
 * (main) thread, which blocks on each run's future; the runs themselves are futures on Vert.x.
 */
public final class PublishCommand {

  /** The sub-command's name: {@code java -jar herald-bench.jar publish}. */
  public static final String NAME = "publish";
  private static final long RUN_TIMEOUT_S = 600;

  private final PrintStream out;

  private PublishCommand(PrintStream out) {
    this.out = out;
  }

  /** @return the exit status: 0 when every run completed, 1 when one failed, 2 for a command-line error */
  public static int run(String... args) {
    PublishOptions options;
    try {
      options = PublishOptions.parse(args);
    } catch (UsageException e) {
      System.err.println("herald: " + NAME + ": " + e.getMessage() + " (see '" + NAME + " --help')");
      return 2;
    }
    if (options.help()) {
      System.out.print(PublishOptions.usage());
      return 0;
    }
    LoadLogging.quiet();
    try {
      new PublishCommand(System.out).execute(options);
      return 0;
    } catch (Exception e) {
      System.err.println("herald: " + NAME + " failed: " + e);
      return 1;
    }
  }

  private void execute(PublishOptions options) throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EventRegistry registry = BlueprintEvents.registry();
      EventCodecs.register(vertx.eventBus(), registry);
      List<String> profiles = new ArrayList<>(options.profiles());
      if (options.relay() && !profiles.contains("postgres")) {
        profiles.add(0, "postgres");
      }
      HeraldConfig config = new ConfigLoader(vertx, System.getenv(), ConfigLoader.systemProperties())
          .load(profiles, null).await(30, TimeUnit.SECONDS).typed();
      List<RecordedEvent> events = BenchEvents.make(registry, options.events());
      List<Buffer> payloads = BenchEvents.payloads(registry, events);
      long bytes = payloads.stream().mapToLong(Buffer::length).sum();
      out.printf(Locale.ROOT, "%,d events per run, %d bytes each on average; warm-up %,d%n%n", events.size(),
          bytes / events.size(), options.warmup());
      out.printf(Locale.ROOT, "%-9s %15s %15s %7s%n", "broker", "herald ev/s", "raw client ev/s", "ratio");
      for (String broker : options.brokers()) {
        publish(vertx, PublishBenches.create(broker, config, registry), events, payloads, options.warmup());
      }
      if (options.relay()) {
        out.printf(Locale.ROOT, "%n%-9s %15s%n", "relay to", "events/s");
        for (String broker : options.brokers()) {
          relay(vertx, config, registry, BrokerType.valueOf(broker.toUpperCase(Locale.ROOT)), events);
        }
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  private void publish(Vertx vertx, PublishBench bench, List<RecordedEvent> events, List<Buffer> payloads, int warmup)
      throws Exception {
    if (warmup > 0) {
      int n = Math.min(warmup, events.size());
      await(bench.viaHerald(vertx, namespace(), events.subList(0, n)));
      await(bench.viaRawClient(vertx, namespace(), payloads.subList(0, n)));
    }
    long herald = await(bench.viaHerald(vertx, namespace(), events));
    long raw = await(bench.viaRawClient(vertx, namespace(), payloads));
    double heraldRate = rate(events.size(), herald);
    double rawRate = rate(events.size(), raw);
    out.printf(Locale.ROOT, "%-9s %,15.0f %,15.0f %6.2fx%n", bench.broker(), heraldRate, rawRate, heraldRate / rawRate);
    out.flush();
  }

  // stores the events in a schema of its own, then times the relay from position 1 to the last one
  private void relay(Vertx vertx, HeraldConfig config, EventRegistry registry, BrokerType type, List<RecordedEvent> events)
      throws Exception {
    PgStoreOptions pg = config.store().postgres().withSchema("bench_relay_" + UUID.randomUUID().toString().substring(0, 8));
    PgEventStore store = await(PgEventStore.connect(vertx, pg, registry));
    MessageBroker broker = Brokers.create(vertx, config.broker().withType(type), registry);
    try {
      fill(store, events);
      long head = await(store.headPosition());
      await(broker.start());
      EventRelay relay = new EventRelay(vertx, store, store.checkpoints(), broker, EventRelayOptions.defaults());
      long started = System.nanoTime();
      await(relay.start());
      while (relay.lastPublishedPosition() < head) {
        Thread.sleep(5);
      }
      long elapsed = System.nanoTime() - started;
      await(relay.stop());
      out.printf(Locale.ROOT, "%-9s %,15.0f%n", type.configName(), rate(head, elapsed));
      out.flush();
    } finally {
      await(broker.close());
      await(store.close());
      Pool admin = PgBuilder.pool().connectingTo(pg.withSchema("public").connectOptions()).using(vertx).build();
      await(admin.query("DROP SCHEMA IF EXISTS " + pg.schema() + " CASCADE").execute());
      await(admin.close());
    }
  }

  // appends of 10 events each, 64 in flight: the store's group commit packs them
  private static void fill(EventStore store, List<RecordedEvent> events) throws Exception {
    List<Future<?>> window = new ArrayList<>();
    for (int i = 0; i < events.size(); i += 10) {
      List<io.herald.event.EventEnvelope> batch = events.subList(i, Math.min(events.size(), i + 10)).stream()
          .map(RecordedEvent::envelope).toList();
      window.add(store.append("bench-" + i, EventStore.NO_STREAM, batch));
      if (window.size() == 64) {
        await(Future.all(window));
        window.clear();
      }
    }
    await(Future.all(window));
  }

  private static String namespace() {
    return "bench" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
  }

  private static double rate(long events, long nanos) {
    return events / (nanos / 1e9);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.await(RUN_TIMEOUT_S, TimeUnit.SECONDS);
  }
}
