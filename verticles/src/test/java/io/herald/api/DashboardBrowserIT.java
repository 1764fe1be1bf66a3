package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerSubscription;
import io.herald.event.RecordedEvent;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The dashboard in a real browser (Debian's chromium, driven by {@code src/test/browser/dashboard.spec.mjs} with
 * playwright-core): an order placed through the API appears on the page, and a dead letter is redriven by clicking.
 * The screenshot is kept at {@code target/dashboard.png}. {@code scripts/test-tools.sh} installs what it needs.
 */
@Timeout(value = 150, unit = TimeUnit.SECONDS)
@DisplayName("Dashboard in a browser")
class DashboardBrowserIT {

  static final Path BROWSER_DIR = Path.of("src/test/browser");
  static final Path SCREENSHOT = Path.of("target/dashboard.png");

  @Test
  @DisplayName("shows a new order live and redrives a dead letter from its button")
  void dashboard() throws IOException, InterruptedException {
    assertThat(Path.of("/usr/bin/chromium")).as("chromium (run scripts/test-tools.sh)").isExecutable();
    assertThat(BROWSER_DIR.resolve("node_modules/playwright-core")).as("playwright-core (run scripts/test-tools.sh)").isDirectory();
    Files.deleteIfExists(SCREENSHOT);
    try (ApiNode api = ApiNode.start(List.of(), Map.of("delivery.maxAttempts", "2", "delivery.retryBaseMs", "10",
        "delivery.retryCapMs", "20"))) {
      // a CRM sync that fails twice (so the user's registration becomes a dead letter) and works from then on
      AtomicInteger calls = new AtomicInteger();
      BrokerSubscription crm = Futures.await(api.node().context().consumers().atLeastOnce("crm-sync", List.of("user.registered"),
          (RecordedEvent event) -> calls.incrementAndGet() <= 2
              ? Future.failedFuture(new IllegalStateException("CRM answered 502"))
              : Future.succeededFuture()));
      try {
        Path log = Files.createTempFile("dashboard", ".log");
        Process node = new ProcessBuilder("node", "dashboard.spec.mjs", api.node().baseUrl(), SCREENSHOT.toAbsolutePath().toString(),
            api.token())
            .directory(BROWSER_DIR.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean finished = node.waitFor(120, TimeUnit.SECONDS);
        if (!finished) {
          node.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.deleteIfExists(log);
        assertThat(finished).as("the browser script finished; it printed:%n%s", output).isTrue();
        assertThat(node.exitValue()).as("the browser script said:%n%s", output).isZero();
        assertThat(output).contains("order is in the stream and the table", "dead letter redriven", "dashboard ok");
        assertThat(calls.get()).as("the redrive ran the consumer again").isEqualTo(3);
        assertThat(SCREENSHOT).isNotEmptyFile();
      } finally {
        Futures.await(crm.close());
      }
    }
  }
}
