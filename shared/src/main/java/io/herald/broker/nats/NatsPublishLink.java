package io.herald.broker.nats;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.JetStream;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection publishes go through, apart from the one group members pull and ack on; it never reconnects by
 * itself, it is replaced.
 *
 * <p>Why: when a connection drops, jnats keeps the messages still in its outgoing queue and sends them after it
 * reconnects, while those it had already written to the dead socket are lost. With a batch in flight at the cut,
 * later events would reach JetStream before earlier ones, and the retry of the lost ones would be stored after them:
 * a stream out of order. So when this connection drops it is closed, which discards what jnats still queued and
 * fails every pending ack at once; a new connection is opened every {@code reconnectWaitMs} until one is up, and a
 * publish meanwhile fails fast. A {@link Link} stands for one connection: a batch keeps to one link, so it never
 * continues on a newer connection what it began on a dead one.
 */
final class NatsPublishLink {

  private static final Logger log = LoggerFactory.getLogger(NatsPublishLink.class);

  /** One connection and its JetStream view. */
  record Link(Connection connection, JetStream jetStream) {
    boolean connected() {
      return connection.getStatus() == Connection.Status.CONNECTED;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final NatsBrokerOptions options;
  private final JetStreamOptions jsOptions;
  private final Predicate<Connection> answers;
  private volatile Link current;
  private volatile boolean closed;

  /** @param answers whether the server answers a request on a connection in time; blocking */
  NatsPublishLink(Vertx vertx, Context context, String name, NatsBrokerOptions options, JetStreamOptions jsOptions,
                  Predicate<Connection> answers) {
    this.answers = answers;
    this.vertx = vertx;
    this.context = context;
    this.name = name;
    this.options = options;
    this.jsOptions = jsOptions;
  }

  /** Opens the first connection; blocking, for a worker thread. */
  void connect() throws IOException, InterruptedException {
    adopt(open());
  }

  /** @return the live link, or {@code null} while a new connection is being opened */
  Link current() {
    return current;
  }

  boolean up() {
    Link link = current;
    return link != null && link.connected();
  }

  /** Replaces the connection when it says it is connected but the server does not answer; blocking. */
  void probe() {
    Link link = current;
    if (link != null && link.connected() && !answers.test(link.connection()) && link.connected()) {
      log.warn("broker '{}': its publishing connection is not answered although connected", name);
      dropped(link.connection());
    }
  }

  /** Closes the connection and stops replacing it; blocking, for a worker thread. */
  void close() throws InterruptedException {
    closed = true;
    Link link;
    synchronized (this) {
      link = current;
      current = null;
    }
    if (link != null) {
      try {
        link.connection().flush(Duration.ofMillis(options.requestTimeoutMs()));
      } catch (Exception e) {
        log.debug("broker '{}' could not flush its publishing connection before closing: {}", name, e.toString());
      }
      link.connection().close();
    }
  }

  private Link open() throws IOException, InterruptedException {
    Options natsOptions = new Options.Builder()
        .servers(options.servers().toArray(String[]::new))
        .connectionName("herald " + options.namespace() + " publisher")
        .connectionTimeout(Duration.ofMillis(options.connectTimeoutMs()))
        .noReconnect()
        .connectionListener(this::connectionEvent)
        .build();
    Connection connection = Nats.connect(natsOptions);
    try {
      return new Link(connection, connection.jetStream(jsOptions));
    } catch (IOException | RuntimeException e) {
      discard(connection);
      throw e;
    }
  }

  private void adopt(Link link) {
    Connection connection = link.connection();
    synchronized (this) {
      if (closed) {
        discard(connection);
        return;
      }
      current = link;
    }
    if (connection.getStatus() != Connection.Status.CONNECTED) {
      dropped(connection); // it dropped before it was adopted, so its listener found nothing to replace
    }
  }

  private void connectionEvent(Connection connection, ConnectionListener.Events event) {
    if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.CLOSED) {
      dropped(connection);
    }
  }

  private void dropped(Connection connection) {
    synchronized (this) {
      Link link = current;
      if (closed || link == null || link.connection() != connection) {
        return;
      }
      current = null;
    }
    log.warn("broker '{}' lost its publishing connection; opening a new one every {} ms", name,
        options.reconnectWaitMs());
    // closing first fails the acks still pending on it, before any publish can go through a new connection
    context.executeBlocking(() -> {
      discard(connection);
      return null;
    }, false).onComplete(ar -> reconnect());
  }

  private void reconnect() {
    if (closed) {
      return;
    }
    Future<Link> opened = context.executeBlocking(this::open, false);
    opened.onComplete(ar -> {
      if (ar.succeeded()) {
        adopt(ar.result());
        if (current != null) {
          log.info("broker '{}' opened a new publishing connection", name);
        }
      } else if (!closed) {
        log.debug("broker '{}' could not open a publishing connection: {}", name, ar.cause().toString());
        vertx.setTimer(options.reconnectWaitMs(), t -> reconnect());
      }
    });
  }

  /** Closes a connection, whatever state it is in; blocking. */
  static void discard(Connection connection) {
    try {
      connection.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // it is gone either way
    }
  }
}
