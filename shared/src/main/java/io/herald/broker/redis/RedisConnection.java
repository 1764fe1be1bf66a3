package io.herald.broker.redis;

import io.herald.broker.BrokerUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis connection, used by one component and confined to its context: commands are pipelined on it, it
 * connects on first use, and after a failure (connection closed, no reply within the request timeout) it is dropped
 * so that the next command connects again. Nobody has to restart anything after an outage: the first command after
 * Redis is back reconnects. Replies complete on the link's context.
 *
 * <p>The link owns its client: closing a pooled connection would only hand it back to the pool, stuck or not, so
 * dropping the connection closes the link's client (and with it the socket) and the next command makes a new one.
 *
 * <p>Failures: a Redis error reply fails with the client's error (its message starts with the Redis error code,
 * e.g. {@code NOGROUP}; a batch's error lists each failed command); anything else (cannot connect, connection lost, timeout) fails with
 * {@link BrokerUnavailableException}.
 */
final class RedisConnection {

  private static final Logger log = LoggerFactory.getLogger(RedisConnection.class);

  private final Vertx vertx;
  private final Context context;
  private final Supplier<Redis> clients;
  private Redis client;
  private final String name;
  private final long timeoutMs;
  private io.vertx.redis.client.RedisConnection connection;
  private Future<io.vertx.redis.client.RedisConnection> connecting;
  private boolean closed;

  /**
   * @param context   where the connection lives and replies complete
   * @param name      what the link is for, in logs and errors (e.g. {@code redis://127.0.0.1:6379 commands})
   * @param clients   makes the link's client, again after each dropped connection
   * @param timeoutMs a command without a reply after this long drops the connection
   */
  RedisConnection(Vertx vertx, Context context, Supplier<Redis> clients, String name, long timeoutMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.context = Objects.requireNonNull(context, "context");
    this.clients = Objects.requireNonNull(clients, "clients");
    this.name = Objects.requireNonNull(name, "name");
    this.timeoutMs = timeoutMs;
  }

  Context context() {
    return context;
  }

  Future<Response> send(Request request) {
    return send(request, timeoutMs);
  }

  /** @param timeoutMs how long to wait for the reply, e.g. more than the BLOCK of a blocking read */
  Future<Response> send(Request request, long timeoutMs) {
    return call(c -> c.send(request), timeoutMs);
  }

  /** Sends the commands in one write; fails when any of them fails (the others may have been applied). */
  Future<List<Response>> batch(List<Request> requests) {
    return call(c -> c.batch(requests), timeoutMs);
  }

  /** Closes the current connection, if any; the next command connects again. */
  void drop() {
    run(() -> {
      if (connection != null) {
        connection = null;
        closeClient();
      }
    });
  }

  /** Closes the connection for good; later commands fail with {@link BrokerUnavailableException}. */
  Future<Void> close() {
    Promise<Void> done = Promise.promise();
    run(() -> {
      closed = true;
      connection = null;
      closeClient().onComplete(ar -> done.complete());
    });
    return done.future();
  }

  /** @return whether {@code failure} says Redis could not be reached (rather than Redis refusing a command) */
  static boolean unavailable(Throwable failure) {
    return failure instanceof BrokerUnavailableException;
  }

  /** @return whether {@code failure} is the Redis error reply {@code code} (e.g. {@code BUSYGROUP}) */
  static boolean isError(Throwable failure, String code) {
    return failure instanceof Response && failure.getMessage() != null && failure.getMessage().startsWith(code);
  }

  private <T> Future<T> call(Function<io.vertx.redis.client.RedisConnection, Future<T>> command, long timeout) {
    Promise<T> promise = Promise.promise();
    run(() -> connection().onComplete(connected -> {
      if (connected.failed()) {
        promise.fail(connected.cause());
        return;
      }
      io.vertx.redis.client.RedisConnection c = connected.result();
      long timer = vertx.setTimer(timeout, t -> {
        if (promise.tryFail(new BrokerUnavailableException(name + ": no reply within " + timeout + " ms"))) {
          dropIfCurrent(c, "no reply within " + timeout + " ms");
        }
      });
      Future<T> sent;
      try {
        sent = command.apply(c);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(e);
      }
      sent.onComplete(ar -> run(() -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          promise.tryComplete(ar.result());
        } else if (ar.cause() instanceof Response && !String.valueOf(ar.cause().getMessage()).contains("CONNECTION_CLOSED")) {
          promise.tryFail(ar.cause());
        } else {
          dropIfCurrent(c, String.valueOf(ar.cause().getMessage()));
          promise.tryFail(new BrokerUnavailableException(name + ": " + ar.cause().getMessage(), ar.cause()));
        }
      }));
    }));
    return promise.future();
  }

  // on the link's context
  private Future<io.vertx.redis.client.RedisConnection> connection() {
    if (closed) {
      return Future.failedFuture(new BrokerUnavailableException(name + " is closed"));
    }
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    if (connecting == null) {
      Promise<io.vertx.redis.client.RedisConnection> attempt = Promise.promise();
      connecting = attempt.future();
      if (client == null) {
        client = clients.get();
      }
      Redis used = client;
      used.connect().onComplete(ar -> context.runOnContext(v -> {
        connecting = null;
        if (ar.failed()) {
          attempt.fail(new BrokerUnavailableException(name + ": cannot connect: " + ar.cause().getMessage(), ar.cause()));
          return;
        }
        io.vertx.redis.client.RedisConnection c = ar.result();
        if (closed) {
          used.close();
          attempt.fail(new BrokerUnavailableException(name + " is closed"));
          return;
        }
        c.exceptionHandler(e -> context.runOnContext(x -> dropIfCurrent(c, String.valueOf(e.getMessage()))));
        c.endHandler(e -> context.runOnContext(x -> dropIfCurrent(c, "connection closed")));
        connection = c;
        attempt.complete(c);
      }));
    }
    return connecting;
  }

  private void dropIfCurrent(io.vertx.redis.client.RedisConnection c, String why) {
    if (connection == c) {
      connection = null;
      if (!closed) {
        log.warn("{}: connection lost ({}); the next command reconnects", name, why);
      }
      closeClient();
    }
  }

  private void run(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  // on the link's context: closing the client closes its sockets, stuck or not; the next command makes a new one
  private Future<Void> closeClient() {
    Redis closing = client;
    client = null;
    return closing == null ? Future.succeededFuture() : closing.close();
  }
}
