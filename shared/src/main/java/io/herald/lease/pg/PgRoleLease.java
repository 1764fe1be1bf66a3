package io.herald.lease.pg;

import io.herald.lease.RoleLease;
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
 * A role lease as a PostgreSQL session advisory lock, keyed by the role (e.g. {@code <schema>/relay:relay}), on a
 * connection of its own: the lock lives exactly as long as that connection, so a process that dies
 * (kill -9 included) frees it when PostgreSQL notices the connection is gone. The holder checks its connection
 * every {@code checkIntervalMs} and reports the lease lost as soon as the connection closes (a terminated session
 * included) or a check fails: the lease may be someone else's now.
 *
 * <p>Every acquisition raises the lease's epoch in {@code role_leases} (migrations V7 and V10) and records the
 * holder's name there, in the holder's session right after the lock is taken: the fencing token the role's writes
 * carry (the relay claims its checkpoint with it), and what {@link RoleHolders} reports.
 *
 * <p>The two-integer form of the advisory lock is used, so the key cannot collide with the store's own
 * single-bigint transaction locks.
 */
public final class PgRoleLease implements RoleLease {

  private static final Logger log = LoggerFactory.getLogger(PgRoleLease.class);

  private final Vertx vertx;
  private final PgConnectOptions connectOptions;
  private final String key;
  private final String holder;
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
   * @param key             what the lease is for, e.g. {@code <schema>/relay:<checkpoint name>}
   * @param holder          who this process is, as reported by {@link RoleHolders}
   * @param retryMs         how often a waiting holder tries again, in milliseconds
   * @param checkIntervalMs how often the holder checks its connection, in milliseconds
   */
  public PgRoleLease(Vertx vertx, PgConnectOptions connectOptions, String key, String holder, long retryMs,
                     long checkIntervalMs) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.connectOptions = Objects.requireNonNull(connectOptions, "connectOptions");
    this.key = Objects.requireNonNull(key, "key");
    this.holder = Objects.requireNonNull(holder, "holder");
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
        .compose(conn -> conn.preparedQuery(RoleHolders.TRY_LOCK)
            .execute(Tuple.of(key))
            .map(rows -> rows.iterator().next().getBoolean(0))
            .compose(locked -> locked ? nextEpoch(conn).map(e -> {
              epoch = e;
              return true;
            }) : Future.succeededFuture(false)))
        .onComplete(ar -> {
          if (ar.succeeded() && ar.result()) {
            held = true;
            log.info("lease on {} acquired (epoch {})", key, epoch);
            PgConnection holding = connection;
            holding.closeHandler(v -> context.runOnContext(w -> closed(holding, lost)));
            watch(lost);
            acquired.tryComplete();
          } else {
            if (ar.failed()) {
              log.debug("lease on {} not reachable: {}", key, ar.cause().getMessage());
              dropConnection();
            }
            timer = vertx.setTimer(retryMs, t -> attempt(acquired, lost));
          }
        });
  }

  private Future<Long> nextEpoch(PgConnection conn) {
    return conn.preparedQuery("INSERT INTO role_leases (key, epoch, holder) VALUES ($1, 1, $2) ON CONFLICT (key)"
            + " DO UPDATE SET epoch = role_leases.epoch + 1, holder = EXCLUDED.holder, acquired_at = now() RETURNING epoch")
        .execute(Tuple.of(key, holder))
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
    log.warn("lease on {} (epoch {}) lost: its connection closed", key, epoch);
    lost.handle(new IllegalStateException("the connection holding the lease on " + key + " closed"));
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
          log.warn("lease on {} lost: {}", key, ar.cause().getMessage());
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
