package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load command end to end: a real node in this JVM (embedded profile), real HTTP, the real report. */
@Timeout(120)
@DisplayName("load command")
class LoadCommandIT {

  private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

  private LoadCommand command() {
    return new LoadCommand(Map.of(), Map.of(), new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8), false);
  }

  @Test
  @DisplayName("places 200 orders on an in-process embedded node: all accepted, all visible, counts consistent, rebuild timed")
  void smallLoad() {
    LoadOptions options = LoadOptions.parse("--orders", "200", "--concurrency", "8", "--users", "5", "--rebuild");

    LoadResult result = command().execute(options);

    assertThat(result.errors()).isEmpty();
    assertThat(result.accepted()).isEqualTo(200);
    assertThat(result.visible()).isEqualTo(200);
    assertThat(result.acceptLatency().getTotalCount()).isEqualTo(200);
    assertThat(result.visibleLatency().getTotalCount()).isEqualTo(200);
    // an order is visible only after it was accepted: its slowest visible latency is at least its slowest 202
    assertThat(result.visibleLatency().getMaxValue()).isGreaterThanOrEqualTo(result.acceptLatency().getMinValue());
    assertThat(result.elapsedNanos()).isPositive();
    assertThat(result.acceptedPerSecond()).isPositive();
    assertThat(result.store()).startsWith("memory");
    assertThat(result.target()).isEqualTo("in-process node (embedded, profiles default)");
    // 5 users and their welcome emails, 200 orders and their confirmations: the orders projection replays them all
    assertThat(result.rebuild()).hasValueSatisfying(rebuild -> {
      assertThat(rebuild.projection()).isEqualTo("orders");
      assertThat(rebuild.events()).isGreaterThanOrEqualTo(410);
      assertThat(rebuild.eventsPerSecond()).isPositive();
    });
    assertThat(result.ok()).isTrue();
    assertThat(LoadReport.format(result))
        .contains("  accepted    200 of 200 in ", "  visible     200 of 200\n", "  errors      none\n")
        .endsWith("  result      OK: every order was accepted and became visible\n");
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("load: starting a node in this process", "load: registering 5 users", "load: placing 200 orders, concurrency 8",
            "orders 200/200 [", "then rebuilding projection 'orders'");
  }

  @Test
  @DisplayName("prints the report on stdout and exits with 0 when every order made it")
  void exitZero() {
    int status = command().run(LoadOptions.parse("--orders", "20", "--concurrency", "4", "--users", "2"));

    assertThat(status).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8)).startsWith("Herald load report\n").contains("  accepted    20 of 20 in ")
        .containsPattern("\nRESULT orders_per_s=\\d+\\.\\d p50_ms=\\d+\\.\\d\\d p99_ms=\\d+\\.\\d\\d"
            + "( sagas_per_s=\\d+\\.\\d)?( saga_p99_ms=\\d+\\.\\d\\d)?\n$");
  }

  @Test
  @DisplayName("--sample-seconds prints a SAMPLE line per window while the orders run, then the report, SOAK and RESULT last")
  void sampled() {
    int status = command().run(LoadOptions.parse("--rate", "100", "--duration-minutes", "0.1", "--sample-seconds", "1",
        "--concurrency", "8", "--users", "2"));

    assertThat(status).isZero();
    List<String> lines = stdout.toString(StandardCharsets.UTF_8).lines().toList();
    List<String> samples = lines.stream().filter(l -> l.startsWith("SAMPLE ")).toList();
    // 600 orders at 100/s: six seconds, one sample a second (a window cut short by the end is not printed)
    assertThat(samples).hasSizeBetween(4, 6);
    long lastOrders = 0;
    long lastSecond = 0;
    for (String sample : samples) {
      assertThat(sample).matches("SAMPLE t_s=\\d+ orders=\\d+ orders_per_s=\\d+\\.\\d p50_ms=\\d+\\.\\d\\d p99_ms=\\d+\\.\\d\\d failed=0"
          + "( heap_used_mb=\\d+\\.\\d)? old_gcs=\\d+ heap_mb=\\d+\\.\\d rss_mb=\\d+\\.\\d lag=\\d+ relay_lag=\\d+");
      long second = field(sample, "t_s");
      long orders = field(sample, "orders");
      assertThat(second).isGreaterThan(lastSecond);
      assertThat(orders).isGreaterThanOrEqualTo(lastOrders).isLessThanOrEqualTo(600);
      lastSecond = second;
      lastOrders = orders;
    }
    assertThat(lines.indexOf(samples.get(samples.size() - 1))).isLessThan(lines.indexOf("Herald load report"));
    assertThat(lines.get(lines.size() - 2)).matches("SOAK samples=" + samples.size() + "( [a-z0-9_]+=\\d+(\\.\\d+)?)+")
        .contains(" rss_mb_first=", " p99_ms_last=", " lag_first=", " lag_max=", " relay_lag_last=", " relay_lag_max=");
    assertThat(lines.get(lines.size() - 1)).startsWith("RESULT orders_per_s=");
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("load: placing 600 orders, concurrency 8, 100 orders/s, a sample every 1 s")
        .doesNotContain("leave the read models' lag out");
  }

  private static long field(String line, String name) {
    return Long.parseLong(line.replaceFirst(".* " + name + "=(\\d+).*", "$1"));
  }

  @Test
  @DisplayName("a --url where no node listens exits with 1 and one line naming the problem")
  void unreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }

    int status = command().run(LoadOptions.parse("--url", "http://127.0.0.1:" + port, "--orders", "10"));

    assertThat(status).isEqualTo(1);
    assertThat(stdout.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(stderr.toString(StandardCharsets.UTF_8).lines())
        .containsExactly("herald: load: the node does not answer: Connection refused: /127.0.0.1:" + port);
  }

  @Test
  @DisplayName("--url with --token drives a running node that needs a token; without the token nothing is accepted")
  void remoteWithToken() throws Exception {
    String secret = "load-command-it-secret-" + "7d1e0c5b9a2f4e68b3c1";
    io.herald.launcher.HeraldNode node = io.herald.launcher.HeraldLauncher.start(
        new io.herald.launcher.CommandLine(java.util.List.of(), java.util.Optional.empty(), java.util.Optional.empty(), false),
        io.herald.launcher.ServiceCatalogue.standard(), Map.of(), Map.of("herald.http.port", "0", "herald.auth.secret", secret));
    try {
      String url = node.baseUrl();
      String token = node.tokenWithEveryScope(600).orElseThrow();

      int refused = command().run(LoadOptions.parse("--url", url, "--orders", "5", "--users", "1"));
      assertThat(refused).isEqualTo(1);
      assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("registering a user answered 401: a bearer token with "
          + "scope 'write' is required (Authorization: Bearer <token>)");

      LoadResult result = command().execute(LoadOptions.parse("--url", url, "--token", token, "--orders", "20",
          "--concurrency", "4", "--users", "2"));
      assertThat(result.errors()).isEmpty();
      assertThat(result.accepted()).isEqualTo(20);
      assertThat(result.visible()).isEqualTo(20);
    } finally {
      node.stop().await(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
