package io.herald.bench.load;

import io.herald.command.CommandBus;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailure;
import io.herald.contract.ServiceAddresses;
import io.herald.launcher.CommandLine;
import io.herald.launcher.HeraldLauncher;
import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.UsageException;
import io.herald.launcher.config.ConfigLoader;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * {@code java -jar herald-bench.jar load-reservations}: the inventory service alone on a node, reservations of one unit
 * for distinct orders sent straight to it over the event bus with a fixed number in flight, first on one hot SKU,
 * then spread over many SKUs; prints reservations/s and latency percentiles, and how many were answered busy.
 * Runs on the main thread, which blocks; the requests run on the node's Vert.x.
 */
public final class ReservationLoadCommand {

  public static final String NAME = "load-reservations";

  private final ReservationLoadOptions options;
  private final PrintStream out;
  private Vertx vertx;

  private ReservationLoadCommand(ReservationLoadOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** @return 0 when every reservation was stored, 1 otherwise, 2 for a command-line error */
  public static int run(String... args) {
    ReservationLoadOptions options;
    try {
      options = ReservationLoadOptions.parse(args);
    } catch (UsageException e) {
      System.err.println("herald: " + NAME + ": " + e.getMessage() + " (see '" + NAME + " --help')");
      return 2;
    }
    if (options.help()) {
      System.out.print(ReservationLoadOptions.usage());
      return 0;
    }
    return new ReservationLoadCommand(options, System.out).execute();
  }

  private int execute() {
    Map<String, String> properties = new HashMap<>(ConfigLoader.systemProperties());
    properties.put("herald.http.port", "0");
    CommandLine cli = new CommandLine(options.profiles(), Optional.empty(), Optional.of(List.of("inventory")), false);
    HeraldNode node = HeraldLauncher.start(cli, ServiceCatalogue.standard(), System.getenv(), properties);
    try {
      out.printf("load-reservations: %d reservations per run, %d in flight, node %s%n", options.reservations(),
          options.inFlight(), node.config().mode());
      vertx = node.vertx();
      CommandBus commands = new CommandBus(vertx, 30_000);
      boolean allStored = true;
      for (int skus : options.skus()) {
        run(commands, skus, Math.min(options.reservations() / 5, 2_000), "warm-up");
        allStored &= run(commands, skus, options.reservations(), "measured");
      }
      return allStored ? 0 : 1;
    } finally {
      node.stop().await();
    }
  }

  /** @return whether every reservation was stored (busy answers are sent again and counted) */
  private boolean run(CommandBus commands, int skus, int count, String phase) {
    String prefix = "RES-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<Future<JsonObject>> stocked = new ArrayList<>();
    for (int i = 0; i < skus; i++) {
      stocked.add(commands.request(ServiceAddresses.INVENTORY, "set", new JsonObject().put("sku", prefix + i).put("available", count)));
    }
    Future.all(stocked).await();
    Histogram latency = new Histogram(TimeUnit.MINUTES.toMicros(1), 3);
    AtomicLong next = new AtomicLong();
    AtomicLong busy = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long started = System.nanoTime();
    List<Future<Void>> senders = new ArrayList<>();
    for (int i = 0; i < options.inFlight(); i++) {
      Promise<Void> done = Promise.promise();
      vertx.runOnContext(v -> send(commands, prefix, skus, count, next, latency, busy, failed, done));
      senders.add(done.future());
    }
    Future.all(senders).await();
    double seconds = (System.nanoTime() - started) / 1e9;
    if (phase.equals("measured")) {
      out.printf("%5d SKU(s): %,9.0f reservations/s  p50 %6.1f ms  p99 %7.1f ms  max %7.1f ms  busy answers %d  failed %d%n",
          skus, count / seconds, latency.getValueAtPercentile(50) / 1000.0, latency.getValueAtPercentile(99) / 1000.0,
          latency.getMaxValue() / 1000.0, busy.get(), failed.get());
    }
    return failed.get() == 0;
  }

  private void send(CommandBus commands, String prefix, int skus, int count, AtomicLong next, Histogram latency,
                    AtomicLong busy, AtomicLong failed, Promise<Void> done) {
    long n = next.getAndIncrement();
    if (n >= count) {
      done.tryComplete();
      return;
    }
    JsonObject reserve = new JsonObject().put("sku", prefix + (n % skus)).put("orderId", "order-" + n).put("quantity", 1);
    attempt(commands, reserve, System.nanoTime(), latency, busy, failed)
        .onComplete(ar -> send(commands, prefix, skus, count, next, latency, busy, failed, done));
  }

  private Future<Void> attempt(CommandBus commands, JsonObject reserve, long sentAt, Histogram latency, AtomicLong busy,
                               AtomicLong failed) {
    return commands.request(ServiceAddresses.INVENTORY, "reserve", reserve.copy()).<Void>transform(ar -> {
      if (ar.succeeded()) {
        synchronized (latency) {
          latency.recordValue(Math.min(latency.getHighestTrackableValue(), (System.nanoTime() - sentAt) / 1_000));
        }
        return Future.succeededFuture();
      }
      if (CommandEndpoint.classify(ar.cause()).failure() == CommandFailure.BUSY) {
        busy.incrementAndGet();
        return vertx.timer(5).compose(v -> attempt(commands, reserve, sentAt, latency, busy, failed));
      }
      if (failed.incrementAndGet() == 1) {
        out.println("reservation failed: " + ar.cause().getMessage());
      }
      return Future.succeededFuture();
    });
  }
}
