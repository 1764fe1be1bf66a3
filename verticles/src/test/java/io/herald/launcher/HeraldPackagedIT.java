package io.herald.launcher;

import static io.herald.launcher.ProcessTests.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code verticles/target/herald.jar} as a user would, in a subprocess. Failsafe runs this after
 * {@code package}; the jar's path comes from the {@code packaged.jar} system property.
 */
@Timeout(180)
@DisplayName("The packaged herald.jar")
class HeraldPackagedIT {

  private static Path jar;
  private static Path repoRoot;

  @TempDir
  Path workDir;

  @BeforeAll
  static void locateJar() {
    jar = JarRun.jar();
    repoRoot = Path.of(System.getProperty("packaged.repoRoot", "..")).toAbsolutePath().normalize();
  }

  @Test
  @DisplayName("starts embedded from any directory, is ready, and exits with 0 after an orderly shutdown on SIGTERM")
  void lifecycle() throws Exception {
    int port = freePort();
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port)))) {
      String readyUrl = "http://127.0.0.1:" + port + "/health/ready";
      run.awaitOutput(readyUrl);
      assertThat(run.output()).contains("mode      embedded", "store     memory", "events live only in memory",
          "http://127.0.0.1:" + port + "/api", "http://127.0.0.1:" + port + "/metrics");

      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(readyUrl)).header("Authorization", "Bearer " + JarRun.token())
              .timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).contains("\"status\":\"UP\"", "\"name\":\"store\"");

      run.process.destroy();   // SIGTERM

      assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
      assertThat(run.process.exitValue()).isZero();
      assertThat(run.output()).contains("SIGTERM received: shutting down", "Stopping gateway", "Closing the event store",
          "Closing Vert.x", "Herald stopped");
    }
  }

  @Test
  @DisplayName("a -Dherald.* property beats the environment: log.format json prints one JSON object per line")
  void systemPropertyAndJsonLogs() throws Exception {
    int port = freePort();
    try (JarRun run = JarRun.start(workDir, List.of("-Dherald.log.format=json"),
        Map.of("HERALD_LOG_FORMAT", "text", "HERALD_HTTP_PORT", String.valueOf(port)))) {
      run.awaitOutput("\"formattedMessage\":\"Herald started");
      run.process.destroy();

      assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.process.exitValue()).isZero();
      assertThat(run.output().lines().filter(line -> !line.isBlank()))
          .isNotEmpty()
          .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
      assertThat(run.output()).contains("\"formattedMessage\":\"Herald stopped\"");
    }
  }

  @Test
  @DisplayName("an unknown profile exits non-zero with one line naming it and the available ones")
  void unknownProfile() throws Exception {
    try (JarRun run = JarRun.start(repoRoot, Map.of(), "--profile", "nosuch")) {
      int status = run.awaitExit();

      assertThat(status).isEqualTo(1);
      assertThat(run.errorLines()).hasSize(1);
      assertThat(run.errorLines().get(0)).startsWith("herald: unknown profile 'nosuch' (available: ").contains("postgres");
    }
  }

  @Test
  @DisplayName("the postgres profile with an unreachable server exits non-zero with one line naming 127.0.0.1:1")
  void unreachablePostgres() throws Exception {
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_STORE_POSTGRES_PORT", "1", "HERALD_HTTP_PORT", "0"), "--profile", "postgres")) {
      int status = run.awaitExit();

      assertThat(status).isNotZero();
      assertThat(run.errorLines()).hasSize(1);
      assertThat(run.errorLines().get(0)).startsWith("herald: ").contains("127.0.0.1:1/test");
    }
  }

  @Test
  @DisplayName("an unknown flag exits with 2, one line and the usage; --help exits with 0")
  void commandLine() throws Exception {
    try (JarRun run = JarRun.start(workDir, Map.of(), "--prfile", "postgres")) {
      assertThat(run.awaitExit()).isEqualTo(2);
      assertThat(run.errorLines().get(0)).isEqualTo("herald: unknown option '--prfile'");
      assertThat(run.errors()).contains("Usage: java -jar herald.jar");
    }
    try (JarRun run = JarRun.start(workDir, Map.of(), "--help")) {
      assertThat(run.awaitExit()).isZero();
      assertThat(run.output()).contains("Usage: java -jar herald.jar", "gateway");
    }
  }

  @Test
  @DisplayName("the postgres profile with its own schema is ready and stops cleanly")
  void postgresReady() throws Exception {
    String schema = "herald_it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    int port = freePort();
    try (JarRun run = JarRun.start(workDir, Map.of("HERALD_HTTP_PORT", String.valueOf(port), "HERALD_STORE_POSTGRES_SCHEMA", schema),
        "--profile", "postgres")) {
      String readyUrl = "http://127.0.0.1:" + port + "/health/ready";
      run.awaitOutput(readyUrl);
      assertThat(run.output()).contains("mode      postgres").doesNotContain("events live only in memory");

      HttpResponse<String> ready = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(readyUrl)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);

      run.process.destroy();
      assertThat(run.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(run.process.exitValue()).isZero();
    } finally {
      dropSchema(schema);
    }
  }

  private static void dropSchema(String schema) {
    Vertx vertx = Vertx.vertx();
    try {
      Pool pool = PgBuilder.pool().using(vertx).connectingTo(new PgConnectOptions()
          .setHost("127.0.0.1").setPort(5432).setDatabase("test").setUser("postgres")).build();
      pool.query("DROP SCHEMA IF EXISTS " + schema + " CASCADE").execute().await();
    } finally {
      vertx.close().await();
    }
  }
}
