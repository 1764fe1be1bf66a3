package io.herald.gateway;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.HashSet;
import java.util.Set;

/**
 * Keeps a slow client from holding a connection (slowloris): a connection that has not sent a whole request line
 * and headers within {@code requestTimeoutMs} is closed, and a request whose body has not arrived in full by then is
 * answered {@code 408} (a problem) and its connection closed. One per gateway verticle, on its event loop.
 */
final class SlowRequestGuard {

  private final Vertx vertx;
  private final long timeoutMs;
  private final Set<HttpConnection> awaitingFirstRequest = new HashSet<>();

  SlowRequestGuard(Vertx vertx, long timeoutMs) {
    this.vertx = vertx;
    this.timeoutMs = timeoutMs;
  }

  /** For {@code HttpServer.connectionHandler}: the first request's headers must arrive in time. */
  void connected(HttpConnection connection) {
    awaitingFirstRequest.add(connection);
    connection.closeHandler(v -> awaitingFirstRequest.remove(connection));
    vertx.setTimer(timeoutMs, t -> {
      if (awaitingFirstRequest.remove(connection)) {
        connection.close();
      }
    });
  }

  /** Wraps the router: the body must arrive in time. */
  Handler<HttpServerRequest> guarding(Handler<HttpServerRequest> next) {
    return request -> {
      awaitingFirstRequest.remove(request.connection());
      if (!request.isEnded()) {
        vertx.setTimer(timeoutMs, t -> tooSlow(request));
      }
      next.handle(request);
    };
  }

  private void tooSlow(HttpServerRequest request) {
    HttpServerResponse response = request.response();
    if (request.isEnded() || response.ended() || response.headWritten()) {
      return;
    }
    response.setStatusCode(408).putHeader("Content-Type", Problems.CONTENT_TYPE).putHeader("Connection", "close")
        .end(Problems.of(408, "the request did not arrive in full within " + timeoutMs + " ms (http.requestTimeoutMs)",
            request.path()).encode())
        .onComplete(sent -> request.connection().close());
  }
}
