package io.herald.bench.feeds;

import io.herald.event.EventEnvelope;
import io.herald.launcher.CommandLine;
import io.herald.launcher.HeraldLauncher;
import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.UsageException;
import io.herald.launcher.config.ConfigLoader;
import io.herald.store.EventStore;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.VertxOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.NetClient;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * {@code java -jar herald-bench.jar load-feeds}: one node, many feed clients, events appended at a fixed rate; prints the
 * delivery delay of every event to every client (from the event's CloudEvents {@code time}, set just before it is
 * appended, to its arrival) and whether any client missed an event or got one out of order. Runs on the main thread,
 * which blocks; the clients and the writer run on Vert.x.
 */
public final class FeedLoadCommand {

  public static final String NAME = "load-feeds";
  private static final long CONNECT_BATCH = 200;
  private static final long DRAIN_WAIT_MS = 10_000;

  private final FeedLoadOptions options;
  private final PrintStream out;
  private final FeedLoadClient.Window window = new FeedLoadClient.Window();
  private final Recorder delays = new Recorder(3);
  private final List<FeedLoadClient> clients = new ArrayList<>();
  private final BenchEventStream events = new BenchEventStream();
  private final AtomicLongArray appendedPerType = new AtomicLongArray(BenchEventStream.TYPES);
  private final AtomicLong appendFailures = new AtomicLong();

  private FeedLoadCommand(FeedLoadOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  /** @return 0 when every client got every event it followed, in order; 1 otherwise; 2 for a command-line error */
  public static int run(String... args) {
    FeedLoadOptions options;
    try {
      options = FeedLoadOptions.parse(args);
    } catch (UsageException e) {
      System.err.println("herald: " + NAME + ": " + e.getMessage() + " (see '" + NAME + " --help')");
      return 2;
    }
    if (options.help()) {
      System.out.print(FeedLoadOptions.usage());
      return 0;
    }
    return new FeedLoadCommand(options, System.out).execute();
  }

  private int execute() {
    Map<String, String> properties = new HashMap<>(ConfigLoader.systemProperties());
    properties.put("herald.http.port", String.valueOf(freePort()));
    properties.putIfAbsent("herald.feed.maxClients", String.valueOf(Math.max(options.clients(), 10_000)));
    CommandLine cli = new CommandLine(options.profiles(), Optional.empty(),
        Optional.of(Arrays.asList(options.services().split(","))), false);
    HeraldNode node = HeraldLauncher.start(cli, ServiceCatalogue.standard(), System.getenv(), properties);
    Vertx clientVertx = Vertx.vertx();
    try {
      return measure(node, clientVertx);
    } finally {
      clientVertx.close().await();
      node.stop().await();
    }
  }

  private int measure(HeraldNode node, Vertx clientVertx) {
    int webSockets = (int) Math.round(options.clients() * options.webSocketShare());
    out.printf("load-feeds: %d clients (%d SSE, %d WebSocket), types %s, %d events/s for %d s (+%d s warm-up), node %s%n",
        options.clients(), options.clients() - webSockets, webSockets, options.split() ? "split (each client follows one of 10)"
            : "all (every client gets every event)", options.rate(), options.seconds(), options.warmupSeconds(), node.config().mode());
    // the clients follow the feed with the node's own token (its development key, or auth.secret)
    connect(clientVertx, node.httpPort(), webSockets, node.tokenWithEveryScope(TimeUnit.DAYS.toSeconds(7)).orElse(null));
    out.printf("connected %d clients%n", clients.size());

    long writer = startWriter(node);
    sleep(TimeUnit.SECONDS.toMillis(options.warmupSeconds()));
    window.open(Instant.now());
    sleep(TimeUnit.SECONDS.toMillis(options.seconds()));
    window.close(Instant.now());
    sleep(200); // events created just before the close are appended and counted
    node.vertx().cancelTimer(writer);
    long deadline = System.currentTimeMillis() + DRAIN_WAIT_MS;
    while (System.currentTimeMillis() < deadline && !allDelivered()) {
      sleep(100);
    }
    return report();
  }

  private void connect(Vertx vertx, int port, int webSockets, String token) {
    NetClient http = vertx.createNetClient();
    WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(port).setMaxConnections(options.clients()));
    List<String> types = events.typeNames();
    List<Context> loops = eventLoops(vertx);
    List<Future<?>> batch = new ArrayList<>();
    for (int i = 0; i < options.clients(); i++) {
      String type = options.split() ? types.get(i % BenchEventStream.TYPES) : null;
      FeedLoadClient client = new FeedLoadClient(type, window, delays);
      clients.add(client);
      String query = "?" + (type == null ? "" : "types=" + type + "&") + (token == null ? "" : "access_token=" + token);
      boolean webSocket = i < webSockets;
      Promise<Object> opened = Promise.promise();
      // connected from a context of its own loop, so the clients are spread over every event loop
      loops.get(i % loops.size()).runOnContext(v -> (webSocket ? openWebSocket(ws, client, query)
          : openSse(http, port, client, query)).<Object>map(x -> x).onComplete(opened));
      batch.add(opened.future());
      if (batch.size() == CONNECT_BATCH || i == options.clients() - 1) {
        Future.all(batch).await();
        batch.clear();
      }
    }
  }

  /** One context on each of the client Vert.x instance's event loops. */
  private static List<Context> eventLoops(Vertx vertx) {
    List<Context> contexts = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        contexts.add(context);
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE)).await();
    return List.copyOf(contexts);
  }

  /**
   * An SSE client on a plain TCP connection, reading the stream as it arrives (chunk headers are skipped: a chunk
   * always holds whole events). Vert.x's HttpClient delivered the chunks of many concurrent streams late on this
   * machine, which measured the client rather than the server.
   */
  private Future<?> openSse(NetClient net, int port, FeedLoadClient client, String query) {
    StringBuilder pending = new StringBuilder();
    return net.connect(port, "127.0.0.1").compose(socket -> {
      socket.handler(data -> onSse(client, pending, data));
      socket.closeHandler(v -> client.closed());
      return socket.write("GET /api/feed" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
    });
  }

  private static void onSse(FeedLoadClient client, StringBuilder pending, Buffer data) {
    pending.append(data.toString(StandardCharsets.UTF_8));
    int start = 0;
    int end;
    while ((end = pending.indexOf("\n\n", start)) >= 0) {
      // an event is "id: <position>\ndata: <json>"; headers, comments and the closing error event have no id line
      int id = pending.indexOf("id: ", start);
      if (id >= 0 && id < end) {
        int line = pending.indexOf("\ndata: ", id);
        client.onEvent(pending.substring(line + 7, end));
      }
      start = end + 2;
    }
    pending.delete(0, start);
  }

  private Future<?> openWebSocket(WebSocketClient ws, FeedLoadClient client, String query) {
    return ws.connect("/api/feed/ws" + query).map(socket -> {
      socket.textMessageHandler(text -> {
        if (text.startsWith("{\"specversion\"")) {
          client.onEvent(text);
        }
      });
      socket.closeHandler(v -> client.closed());
      return socket;
    });
  }

  /** Appends {@code rate} events a second, each on its own stream, in ticks of 10 ms. */
  private long startWriter(HeraldNode node) {
    EventStore store = node.store();
    double perTick = options.rate() / 100.0;
    double[] owed = {0};
    long[] next = {0};
    return node.vertx().setPeriodic(10, t -> {
      owed[0] += perTick;
      while (owed[0] >= 1) {
        owed[0]--;
        long n = next[0]++;
        EventEnvelope event = events.create(n);
        int type = (int) (n % BenchEventStream.TYPES);
        store.append(event.aggregatetype() + "-" + event.subject(), EventStore.ANY_VERSION, List.of(event))
            .onSuccess(r -> {
              if (window.contains(event.time())) {
                appendedPerType.incrementAndGet(type);
              }
            })
            .onFailure(err -> appendFailures.incrementAndGet());
      }
    });
  }

  private long expected(FeedLoadClient client) {
    if (client.type() == null) {
      long all = 0;
      for (int i = 0; i < BenchEventStream.TYPES; i++) {
        all += appendedPerType.get(i);
      }
      return all;
    }
    return appendedPerType.get(events.typeNames().indexOf(client.type()));
  }

  private boolean allDelivered() {
    return clients.stream().allMatch(c -> c.isClosed() || c.measured() >= expected(c));
  }

  private int report() {
    long appended = 0;
    for (int i = 0; i < BenchEventStream.TYPES; i++) {
      appended += appendedPerType.get(i);
    }
    long expectedDeliveries = clients.stream().mapToLong(this::expected).sum();
    long[] perClient = clients.stream().mapToLong(FeedLoadClient::measured).sorted().toArray();
    long delivered = Arrays.stream(perClient).sum();
    long starved = clients.stream().filter(c -> c.measured() < expected(c)).count();
    long closed = clients.stream().filter(FeedLoadClient::isClosed).count();
    long outOfOrder = clients.stream().filter(FeedLoadClient::outOfOrder).count();
    Histogram h = delays.getIntervalHistogram();
    out.printf("appended   %d events in the measured %d s (%.0f/s), %d appends failed%n", appended, options.seconds(),
        appended / (double) options.seconds(), appendFailures.get());
    out.printf("delivered  %d of %d expected deliveries (%.0f/s); per client min %d, median %d, max %d%n", delivered,
        expectedDeliveries, delivered / (double) options.seconds(), perClient[0], perClient[perClient.length / 2],
        perClient[perClient.length - 1]);
    out.printf("delay ms   p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n", ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
        h.getMaxValue() / 1000.0);
    out.printf("clients    %d missed events, %d got events out of order, %d were disconnected (the server drops a client"
        + " more than feed.bufferEvents behind)%n", starved, outOfOrder, closed);
    return starved == 0 && outOfOrder == 0 && closed == 0 && appendFailures.get() == 0 ? 0 : 1;
  }

  private static double ms(Histogram h, double percentile) {
    return h.getValueAtPercentile(percentile) / 1000.0;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
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
