package io.herald.broker.rabbitmq;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.herald.async.Backoff;
import io.herald.broker.BrokerUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one AMQP connection, and its recovery: when the connection is lost (not closed by us) it tells the
 * broker, then reconnects with exponential backoff and jitter until it succeeds or is closed, running the broker's
 * recovery (declarations, publisher channel, consumers) on each new connection before calling itself ready again.
 * The Java client's own automatic recovery is off: it would replay consumers whose deliveries Herald has already
 * handed back, and the recovery here is the same code as the first start. Confined to the broker's context.
 */
final class RabbitMqConnection {

  private static final Logger log = LoggerFactory.getLogger(RabbitMqConnection.class);
  private static final AtomicInteger THREADS = new AtomicInteger();
  private static final int CLOSE_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final Context context;
  private final RabbitMqBrokerOptions options;
  private final String name;
  private final Function<Connection, Future<Void>> recovery;
  private final Runnable onLost;
  private final Backoff backoff;
  private final ConnectionFactory factory;
  private Connection connection;
  private String blocked;
  private boolean ready;
  private boolean closed;
  private int attempt;
  private long reconnectTimer = -1;

  /**
   * @param recovery run on the context with every new connection (the first one included); the connection is ready
   *                 once its future succeeds, and dropped and retried when it fails
   * @param onLost   run on the context when an established connection is lost
   */
  RabbitMqConnection(Vertx vertx, Context context, RabbitMqBrokerOptions options, String name,
                   Function<Connection, Future<Void>> recovery, Runnable onLost) {
    this.vertx = vertx;
    this.context = context;
    this.options = options;
    this.name = name;
    this.recovery = recovery;
    this.onLost = onLost;
    this.backoff = new Backoff(options.reconnectBaseMs(), options.reconnectCapMs());
    this.factory = factory(options);
  }

  private static ConnectionFactory factory(RabbitMqBrokerOptions options) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(options.host());
    f.setPort(options.port());
    f.setUsername(options.username());
    f.setPassword(options.password());
    f.setVirtualHost(options.virtualHost());
    f.setConnectionTimeout(options.connectTimeoutMs());
    f.setHandshakeTimeout(options.connectTimeoutMs());
    f.setRequestedHeartbeat(options.heartbeatSeconds());
    f.setAutomaticRecoveryEnabled(false);
    f.setTopologyRecoveryEnabled(false);
    ThreadFactory threads = task -> {
      Thread t = new Thread(task, "herald-rabbitmq-" + THREADS.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    f.setThreadFactory(threads);
    return f;
  }

  /** Connects for the first time and runs the recovery; fails with {@link BrokerUnavailableException}. */
  Future<Void> open() {
    return connectOnce().recover(err -> Future.failedFuture(err instanceof BrokerUnavailableException ? err
        : new BrokerUnavailableException("cannot connect to RabbitMQ at " + options.host() + ":" + options.port()
            + ": " + err.getMessage(), err)));
  }

  /** @return whether connected and recovered */
  boolean ready() {
    return ready && connection != null && connection.isOpen();
  }

  /**
   * @return why RabbitMQ blocks publishing on this connection (a resource alarm: memory, disk), or {@code null} when
   *     it does not; while blocked, a publish would hold its writer until the alarm clears
   */
  String blocked() {
    return blocked;
  }

  /** @return the current connection, or {@code null} between a loss and the next successful reconnection */
  Connection current() {
    return connection;
  }

  Future<Void> close() {
    closed = true;
    ready = false;
    if (reconnectTimer != -1) {
      vertx.cancelTimer(reconnectTimer);
      reconnectTimer = -1;
    }
    Connection c = connection;
    connection = null;
    return c == null ? Future.succeededFuture() : shutDown(c, false);
  }

  private Future<Void> connectOnce() {
    return context.<Connection>executeBlocking(() -> {
      Connection c = factory.newConnection(name);
      // a listener added to a connection that is already closed runs at once, so no loss goes unnoticed
      c.addShutdownListener(signal -> context.runOnContext(v -> lost(c, signal)));
      c.addBlockedListener(reason -> context.runOnContext(v -> blocked(c, reason)),
          () -> context.runOnContext(v -> blocked(c, null)));
      return c;
    }, false).compose(c -> {
      if (closed) {
        return shutDown(c, true).compose(v -> Future.failedFuture(new BrokerUnavailableException("broker is closed")));
      }
      connection = c;
      return recovery.apply(c)
          .onSuccess(v -> ready = connection == c && c.isOpen())
          .recover(err -> {
            log.warn("RabbitMQ connection '{}' could not be prepared: {}", name, err.toString());
            if (connection == c) {
              connection = null; // its loss is ours, not news
            }
            return shutDown(c, true).compose(v -> Future.failedFuture(err));
          });
    });
  }

  private void blocked(Connection c, String reason) {
    if (c != connection) {
      return;
    }
    if (reason != null) {
      log.warn("RabbitMQ blocks publishing on connection '{}': {}", name, reason);
    } else if (blocked != null) {
      log.info("RabbitMQ unblocked publishing on connection '{}'", name);
    }
    blocked = reason;
  }

  private void lost(Connection c, ShutdownSignalException signal) {
    if (c != connection || closed || signal.isInitiatedByApplication()) {
      return;
    }
    connection = null;
    blocked = null;
    ready = false;
    log.warn("RabbitMQ connection '{}' lost, reconnecting: {}", name, signal.getMessage());
    onLost.run();
    scheduleReconnect();
  }

  private void scheduleReconnect() {
    if (closed || reconnectTimer != -1) {
      return;
    }
    long delay = backoff.delayMs(++attempt);
    reconnectTimer = vertx.setTimer(delay, t -> {
      reconnectTimer = -1;
      if (closed) {
        return;
      }
      connectOnce().onComplete(ar -> {
        if (ar.succeeded()) {
          log.info("RabbitMQ connection '{}' re-established after {} attempt(s)", name, attempt);
          attempt = 0;
        } else if (!closed && connection == null) {
          log.debug("reconnection attempt {} of '{}' failed: {}", attempt, name, ar.cause().toString());
          scheduleReconnect();
        }
      });
    });
  }

  private Future<Void> shutDown(Connection c, boolean abort) {
    return context.executeBlocking(() -> {
      if (abort) {
        c.abort(CLOSE_TIMEOUT_MS);
      } else if (c.isOpen()) {
        try {
          c.close(CLOSE_TIMEOUT_MS);
        } catch (RuntimeException | java.io.IOException e) {
          c.abort(CLOSE_TIMEOUT_MS);
        }
      }
      return null;
    }, false);
  }
}
