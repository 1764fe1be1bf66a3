package io.herald.relay.pg;

import io.herald.relay.PublisherLease;
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
 * every {@code checkIntervalMs} and reports the lease lost as soon as the connection closes (a terminated session
 * included) or a check fails: the lease may be someone else's now.
 *
 * <p>Every acquisition raises the lease's epoch in {@code publisher_leases} (migration V7), in the holder's session
 * right after the lock is taken: the fencing token with which the relay claims its checkpoint.
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
  private volatile long epoch;
  private volatile boolean lostBefore;

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
    if (lostBefore) {
      // a holder that just lost the lease tries again only after a retry interval: a standby takes over first
      lostBefore = false;
      context.runOnContext(v -> timer = vertx.setTimer(retryMs, t -> attempt(acquired, lost)));
    } else {
      context.runOnContext(v -> attempt(acquired, lost));
    }
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
            .map(rows -> rows.iterator().next().getBoolean(0))
            .compose(locked -> locked ? nextEpoch(conn).map(e -> {
              epoch = e;
              return true;
            }) : Future.succeededFuture(false)))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            held = true;
            log.info("publisher lease on {} acquired (epoch {})", key, epoch);
            PgConnection holding = connection;
            holding.closeHandler(v -> context.runOnContext(w -> closed(holding, lost)));
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

  private Future<Long> nextEpoch(PgConnection conn) {
    return conn.preparedQuery("INSERT INTO publisher_leases (key, epoch) VALUES ($1, 1) ON CONFLICT (key)"
            + " DO UPDATE SET epoch = publisher_leases.epoch + 1, acquired_at = now() RETURNING epoch")
        .execute(Tuple.of(key))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  @Override
  public long epoch() {
    return epoch;
  }

  // the session is gone (terminated, network, server restart): so is the lock
  private void closed(PgConnection holding, Handler<Throwable> lost) {
    if (released || !held || connection != holding) {
      return;
    }
    held = false;
    lostBefore = true;
    connection = null;
    cancelTimer();
    log.warn("publisher lease on {} (epoch {}) lost: its connection closed", key, epoch);
    lost.handle(new IllegalStateException("the connection holding the publisher lease on " + key + " closed"));
  }

  private void watch(Handler<Throwable> lost) {
    timer = vertx.setTimer(checkIntervalMs, t -> {
      PgConnection current = connection;
      if (released || current == null) {
        return;
      }
      current.query("SELECT 1").execute().onComplete(ar -> {
        if (released || !held) {
          return;
        }
        if (ar.succeeded()) {
          watch(lost);
        } else {
          held = false;
          lostBefore = true;
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
