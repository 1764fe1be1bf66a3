package io.herald.store.pg;

import io.herald.broker.PublisherLease;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The publisher lease as a PostgreSQL session advisory lock, keyed by the store's schema and the relay's checkpoint
 * name, on a connection of its own: the lock lives exactly as long as that connection, so a process that dies
 * (kill -9 included) frees it when PostgreSQL notices the connection is gone. The holder checks its connection
 * every {@code checkIntervalMs}; a failed check means the lease may be someone else's now, and is reported as lost.
 *
 * <p>The two-integer form of the advisory lock is used, so the key cannot collide with the store's own
 * single-bigint transaction locks.
 */
public final class PgPublisherLease implements PublisherLease {

  private static final Logger log = LoggerFactory.getLogger(PgPublisherLease.class);

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final String key;
  private final long retryMs;
  private final long checkIntervalMs;
  private Context context;
  private PgConnection connection;
  private long timer = -1;
  private volatile boolean held;
  private volatile boolean released;

  /**
   * @param key             what the lease is for, e.g. {@code <schema>/<checkpoint name>}
   * @param retryMs         how often a waiting holder tries again, in milliseconds
   * @param checkIntervalMs how often the holder checks its connection, in milliseconds
   */
  public PgPublisherLease(Vertx vertx, PgConnectOptions connectOptions, String key, long retryMs, long checkIntervalMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.connectOptions = Objects.requireNonNull(connectOptions, "connectOptions");
    this.key = Objects.requireNonNull(key, "key");
    this.retryMs = retryMs;
    this.checkIntervalMs = checkIntervalMs;
  }

  @Override
  public Future<Void> acquire(Handler<Throwable> lost) {
    context = vertx.getOrCreateContext();
    released = false;
    Promise<Void> acquired = Promise.promise();
    context.runOnContext(v -> attempt(acquired, lost));
    return acquired.future();
  }

  @Override
  public boolean held() {
    return held;
  }

  @Override
  public Future<Void> release() {
    released = true;
    Promise<Void> done = Promise.promise();
    Runnable close = () -> {
      cancelTimer();
      held = false;
      PgConnection current = connection;
      connection = null;
      // closing the session frees the lock
      (current == null ? Future.<Void>succeededFuture() : current.close()).onComplete(ar -> done.complete());
    };
    if (context == null) {
      done.complete();
    } else {
      context.runOnContext(v -> close.run());
    }
    return done.future();
  }

  private void attempt(Promise<Void> acquired, Handler<Throwable> lost) {
    if (released) {
      acquired.tryFail("the lease on " + key + " was released while waiting for it");
      return;
    }
    connect()
        .compose(conn -> conn.preparedQuery("SELECT pg_try_advisory_lock(hashtext('herald-publisher'), hashtext($1))")
            .execute(Tuple.of(key))
            .map(rows -> rows.iterator().next().getBoolean(0)))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            held = true;
            log.info("publisher lease on {} acquired", key);
            watch(lost);
            acquired.tryComplete();
          } else {
            if (ar.failed()) {
              log.debug("publisher lease on {} not reachable: {}", key, ar.cause().getMessage());
              dropConnection();
            }
            timer = vertx.setTimer(retryMs, t -> attempt(acquired, lost));
          }
        });
  }

  private void watch(Handler<Throwable> lost) {
    timer = vertx.setTimer(checkIntervalMs, t -> {
      PgConnection current = connection;
      if (released || current == null) {
        return;
      }
      current.query("SELECT 1").execute().onComplete(ar -> {
        if (released) {
          return;
        }
        if (ar.succeeded()) {
          watch(lost);
        } else {
          held = false;
          dropConnection();
          log.warn("publisher lease on {} lost: {}", key, ar.cause().getMessage());
          lost.handle(ar.cause());
        }
      });
    });
  }

  private Future<PgConnection> connect() {
    if (connection != null) {
      return Future.succeededFuture(connection);
    }
    return PgConnection.connect(vertx, connectOptions).map(conn -> {
      connection = conn;
      return conn;
    });
  }

  private void dropConnection() {
    PgConnection current = connection;
    connection = null;
    if (current != null) {
      current.close();
    }
  }

  private void cancelTimer() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
