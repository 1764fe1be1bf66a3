package io.herald.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP endpoint's limits against real sockets: a body or headers that trickle in (slowloris), headers that are
 * too large, a WebSocket frame that is too large. Each gets a clear answer or a closed connection in bounded time,
 * and the node goes on serving.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("HTTP limits")
class HttpLimitsIT {

  private static final long REQUEST_TIMEOUT_MS = 1_000;

  private ApiNode api;
  private Vertx vertx;

  @BeforeAll
  void start() {
    api = ApiNode.start(List.of(), Map.of(
        "http.requestTimeoutMs", String.valueOf(REQUEST_TIMEOUT_MS),
        "http.maxHeaderBytes", "4096",
        "http.maxWebSocketFrameBytes", "4096"));
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    api.close();
    Futures.await(vertx.close());
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", api.node().httpPort());
    socket.setSoTimeout(10_000);
    return socket;
  }

  /** Everything the server sends until it closes the connection (or the read times out). */
  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        got.write(buffer, 0, n);
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered in full nor closed within 10 s; got: " + got);
    }
    return got.toString(StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("a body that trickles in is answered 408 (a problem naming the setting) and the connection is closed")
  void slowBody() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Authorization: Bearer " + api.token() + "\r\nContent-Length: 200\r\n\r\n{\"email\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      String answer = readAll(socket.getInputStream());
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(answer).startsWith("HTTP/1.1 408").contains("application/problem+json").contains("http.requestTimeoutMs");
      assertThat(tookMs).as("answered once the request timeout has passed").isBetween(REQUEST_TIMEOUT_MS - 100, 5_000L);
    }
    assertThat(api.get("/health/ready").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("headers that trickle in: the connection is closed once the request timeout has passed")
  void slowHeaders() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      long started = System.nanoTime();
      CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
        try {
          return readAll(socket.getInputStream());
        } catch (IOException e) {
          return "closed: " + e.getMessage();
        }
      });
      for (int i = 0; i < 20 && !answer.isDone(); i++) {   // one header line every 200 ms: never idle, never done
        out.write(("X-Slow-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        Thread.sleep(200);
      }
      String got = answer.get(10, TimeUnit.SECONDS);
      long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

      assertThat(got).as("nothing is served for a request that never finished its headers").doesNotContain("200 OK");
      assertThat(tookMs).as("closed after about the request timeout").isBetween(REQUEST_TIMEOUT_MS - 100, 3_500L);
    } catch (IOException e) {
      // a write after the server closed the connection fails: that is the expected end too
      assertThat(e.getMessage()).isNotBlank();
    }
    assertThat(api.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("headers larger than http.maxHeaderBytes are answered 431, a request line too long 414, a malformed one 400: problems all")
  void largeHeaders() throws Exception {
    try (Socket socket = connect()) {
      socket.getOutputStream().write(("GET /health/live HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(8_000)
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = readAll(socket.getInputStream());
      assertThat(answer).startsWith("HTTP/1.1 431").contains("application/problem+json").contains("http.maxHeaderBytes");
    }
    try (Socket socket = connect()) {
      socket.getOutputStream().write(("GET /api/events?from=" + "1".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(socket.getInputStream())).matches("(?s)HTTP/1\\.[01] 414 .*").contains("application/problem+json");
    }
    try (Socket socket = connect()) {
      socket.getOutputStream().write("GET /health/live HTTP/1.1\r\nHost x\r\nBad Header\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readAll(socket.getInputStream())).matches("(?s)HTTP/1\\.[01] 400 .*").contains("application/problem+json");
    }
    assertThat(api.get("/health/live").statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("a WebSocket frame larger than http.maxWebSocketFrameBytes closes that socket; the feed goes on for others")
  void largeWebSocketFrame() {
    try (FeedSocket big = FeedSocket.connect(vertx, api.node().httpPort(), "/api/feed/ws", api.token(),
        new WebSocketClientOptions().setMaxFrameSize(1_048_576).setMaxMessageSize(1_048_576))) {
      WebSocket socket = big.socket();
      CompletableFuture<Short> closedWith = new CompletableFuture<>();
      socket.closeHandler(v -> closedWith.complete(socket.closeStatusCode()));
      socket.writeTextMessage(new JsonObject().put("filler", "x".repeat(20_000)).encode());
      // 1009 (too big) when a close frame gets through, 1006 when the server drops the connection at once
      assertThat(closedWith).succeedsWithin(10, TimeUnit.SECONDS).isIn((short) 1009, (short) 1006);
    }
    try (FeedSocket small = FeedSocket.connect(vertx, api.node().httpPort(), "/api/feed/ws", api.token())) {
      assertThat(small.socket().isClosed()).isFalse();
    }
  }
}
