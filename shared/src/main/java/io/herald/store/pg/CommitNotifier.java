package io.herald.store.pg;

import io.herald.store.SubscriptionHub;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells subscriptions that appends have committed: this store's own at once, in process, and the other stores on
 * the same schema (other nodes) with a {@code NOTIFY} sent after the commit.
 *
 * <p>The {@code NOTIFY} is not part of the append's transaction: a transaction that notifies holds a lock that is
 * one for the whole server until its commit is flushed, so appends that notified committed one at a time
 * (migration V16 has the figures). Sent alone it writes nothing that must be flushed. Notices are coalesced: at
 * most one is on its way, and the next one names the highest position committed meanwhile. It goes over the
 * listening connection, so it costs no connection of the pool; while that connection is being re-established none
 * is sent, and the other nodes read at their next poll, as after any lost notification.
 */
final class CommitNotifier {

  private static final Logger log = LoggerFactory.getLogger(CommitNotifier.class);
  private static final String NOTIFY_SQL = "SELECT pg_notify($1, $2)";

  private final SubscriptionHub local;
  private final String channel;
  private final Supplier<PgConnection> connection;
  /** Starts this store's payloads, so that its listener can tell them from other nodes' and not wake twice. */
  private final String tag = UUID.randomUUID() + "@";
  // guarded by this
  private long committed;
  private long sent;
  private boolean sending;

  /**
   * @param local      this store's subscriptions
   * @param channel    the channel the stores of this schema listen on
   * @param connection the listening connection, or {@code null} while it is being re-established
   */
  CommitNotifier(SubscriptionHub local, String channel, Supplier<PgConnection> connection) {
    this.local = Objects.requireNonNull(local, "local");
    this.channel = Objects.requireNonNull(channel, "channel");
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  /** Appends up to {@code lastPosition} have committed. Callable from any thread. */
  void committed(long lastPosition) {
    local.wakeAll();
    synchronized (this) {
      committed = Math.max(committed, lastPosition);
      if (sending) {
        return;   // the notice on its way sends this one after it
      }
      sending = true;
    }
    sendNext();
  }

  /** @return whether a notification's payload came from this store, whose subscriptions were already woken */
  boolean isOwn(String payload) {
    return payload != null && payload.startsWith(tag);
  }

  private void sendNext() {
    long position;
    synchronized (this) {
      if (committed <= sent) {
        sending = false;
        return;
      }
      position = committed;
      sent = position;
    }
    PgConnection conn = connection.get();
    if (conn == null) {
      synchronized (this) {
        sending = false;
      }
      return;
    }
    conn.preparedQuery(NOTIFY_SQL).execute(Tuple.of(channel, tag + position)).onComplete(ar -> {
      if (ar.failed()) {
        log.debug("could not notify channel {} of commits up to {}: {}", channel, position, ar.cause().getMessage());
      }
      sendNext();
    });
  }
}
