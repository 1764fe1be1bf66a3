package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes on one channel in confirm mode, pipelined: messages are written in batches (see {@link ChannelWriter})
 * without waiting for each confirm, each one's future is completed by the broker's {@code basic.ack} (single or
 * {@code multiple}) for its sequence number, and at most {@code maxUnconfirmed} wait for a confirm at a time (later
 * ones wait here, in order). Sequence numbers are counted here, in the order writes are submitted, so a confirm can
 * never arrive before its publish is known. When the channel closes every unconfirmed publish fails with
 * {@link BrokerUnavailableException}: it may or may not have reached the queues, and the caller retries it.
 * A mandatory publish that no queue takes comes back ({@code basic.return}, which RabbitMQ sends before the
 * publish's {@code basic.ack}) and fails instead of being confirmed: for dead letters, which must not vanish when
 * their queue is gone. Confined to the broker's context.
 */
final class ConfirmPublisher {

  private static final Logger log = LoggerFactory.getLogger(ConfirmPublisher.class);
  private static final long REOPEN_DELAY_MS = 500;

  private record Outgoing(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                          boolean mandatory, Promise<Void> confirmed) {
  }

  private final Vertx vertx;
  private final Context context;
  private final int maxUnconfirmed;
  private final ChannelWriter writer;
  private final NavigableMap<Long, Promise<Void>> unconfirmed = new TreeMap<>();
  private final NavigableMap<Long, Outgoing> mandatoryUnconfirmed = new TreeMap<>();
  private final Map<Long, String> returned = new java.util.HashMap<>();
  private final ArrayDeque<Outgoing> waiting = new ArrayDeque<>();
  private Channel channel;
  private Connection connection;
  private long nextSeq;
  private boolean closed;

  ConfirmPublisher(Vertx vertx, Context context, int maxUnconfirmed, int writeBatch) {
    this.vertx = vertx;
    this.context = context;
    this.maxUnconfirmed = maxUnconfirmed;
    this.writer = new ChannelWriter(context, writeBatch);
  }

  /** Opens the confirm channel on {@code c}; a no-op when already open on it. */
  Future<Void> open(Connection c) {
    if (closed) {
      return Future.failedFuture(new BrokerUnavailableException("publisher is closed"));
    }
    if (channel != null && channel.isOpen() && connection == c) {
      return Future.succeededFuture();
    }
    connection = c;
    return context.<Channel>executeBlocking(() -> {
      Channel ch = c.createChannel();
      ch.confirmSelect();
      ch.addConfirmListener((tag, multiple) -> context.runOnContext(v -> confirmed(ch, tag, multiple, true)),
          (tag, multiple) -> context.runOnContext(v -> confirmed(ch, tag, multiple, false)));
      ch.addShutdownListener(signal -> context.runOnContext(v -> channelLost(ch, signal)));
      ch.addReturnListener(r -> context.runOnContext(v -> returned(ch, r.getExchange(), r.getRoutingKey(), r.getBody(),
          r.getReplyCode() + " " + r.getReplyText())));
      return ch;
    }, false).map(ch -> {
      if (closed) {
        closeInBackground(ch);
        throw new BrokerUnavailableException("publisher is closed");
      }
      channel = ch;
      nextSeq = ch.getNextPublishSeqNo();
      return null;
    });
  }

  boolean ready() {
    return channel != null && channel.isOpen();
  }

  /** @return succeeds when the broker confirmed the message; fails when it refused it or the channel went away */
  Future<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) {
    return publish(exchange, routingKey, properties, body, false);
  }

  /** As above; a {@code mandatory} message no queue takes fails with a {@link BrokerException} naming the route. */
  Future<Void> publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body,
                       boolean mandatory) {
    if (!ready()) {
      return Future.failedFuture(new BrokerUnavailableException("not connected to RabbitMQ"));
    }
    Outgoing out = new Outgoing(exchange, routingKey, properties, body, mandatory, Promise.promise());
    if (!waiting.isEmpty() || unconfirmed.size() >= maxUnconfirmed) {
      waiting.addLast(out);
    } else {
      send(out);
    }
    return out.confirmed().future();
  }

  /** The connection went away: everything unconfirmed fails, the channel is forgotten. */
  void connectionLost() {
    Channel ch = channel;
    channel = null;
    failAll(new BrokerUnavailableException("the connection to RabbitMQ was lost before the broker confirmed the event"));
    if (ch != null) {
      closeInBackground(ch);
    }
  }

  Future<Void> close() {
    closed = true;
    Channel ch = channel;
    channel = null;
    failAll(new BrokerUnavailableException("the broker was closed before RabbitMQ confirmed the event"));
    return ch == null ? Future.succeededFuture() : context.executeBlocking(() -> {
      closeQuietly(ch);
      return null;
    }, false);
  }

  private void send(Outgoing out) {
    long seq = nextSeq++;
    Channel ch = channel;
    unconfirmed.put(seq, out.confirmed());
    if (out.mandatory()) {
      mandatoryUnconfirmed.put(seq, out);
    }
    writer.submit(ch, c -> {
      if (c.getNextPublishSeqNo() != seq) {
        throw new IllegalStateException("publish sequence out of step: expected " + seq + ", channel at " + c.getNextPublishSeqNo());
      }
      c.basicPublish(out.exchange(), out.routingKey(), out.mandatory(), out.properties(), out.body());
    }).onFailure(err -> {
      if (ch == channel) {
        log.warn("publishing on RabbitMQ channel {} failed, reopening it: {}", ch.getChannelNumber(), err.toString());
        channelLost(ch, err);
      }
    });
  }

  private void confirmed(Channel ch, long tag, boolean multiple, boolean ack) {
    if (ch != channel) {
      return;
    }
    if (multiple) {
      Map<Long, Promise<Void>> settled = unconfirmed.headMap(tag, true);
      Map<Long, Promise<Void>> promises = new TreeMap<>(settled);
      settled.clear();
      promises.forEach((seq, p) -> settle(seq, p, ack));
    } else {
      Promise<Void> p = unconfirmed.remove(tag);
      if (p != null) {
        settle(tag, p, ack);
      }
    }
    while (!waiting.isEmpty() && unconfirmed.size() < maxUnconfirmed && ready()) {
      send(waiting.pollFirst());
    }
  }

  private void settle(long seq, Promise<Void> p, boolean ack) {
    Outgoing mandatory = mandatoryUnconfirmed.remove(seq);
    String returnedWhy = returned.remove(seq);
    if (ack && returnedWhy != null) {
      p.fail(new BrokerException("RabbitMQ could not route the message to any queue (exchange '" + mandatory.exchange()
          + "', routing key '" + mandatory.routingKey() + "'): " + returnedWhy));
    } else if (ack) {
      p.complete();
    } else {
      p.fail(new BrokerException("RabbitMQ refused the event (basic.nack): it was not taken for its queues"));
    }
  }

  // the oldest mandatory publish on that route with that body, not marked yet: returns come in publish order
  private void returned(Channel ch, String exchange, String routingKey, byte[] body, String why) {
    if (ch != channel) {
      return;
    }
    for (Map.Entry<Long, Outgoing> e : mandatoryUnconfirmed.entrySet()) {
      Outgoing out = e.getValue();
      if (!returned.containsKey(e.getKey()) && out.exchange().equals(exchange) && out.routingKey().equals(routingKey)
          && java.util.Arrays.equals(out.body(), body)) {
        returned.put(e.getKey(), why);
        return;
      }
    }
  }

  private void channelLost(Channel ch, Throwable cause) {
    if (ch != channel) {
      return;
    }
    channel = null;
    failAll(new BrokerUnavailableException("the RabbitMQ publishing channel closed before the broker confirmed the event: "
        + cause.getMessage(), cause));
    closeInBackground(ch);
    // a channel-level error leaves the connection up: open a new channel on it; a lost connection is recovered by the broker
    Connection c = connection;
    if (!closed && c != null && c.isOpen()) {
      vertx.setTimer(REOPEN_DELAY_MS, t -> {
        if (!closed && channel == null && c == connection && c.isOpen()) {
          open(c).onFailure(err -> log.warn("cannot reopen the RabbitMQ publishing channel: {}", err.toString()));
        }
      });
    }
  }

  private void failAll(Throwable cause) {
    List<Promise<Void>> promises = new ArrayList<>(unconfirmed.values());
    unconfirmed.clear();
    mandatoryUnconfirmed.clear();
    returned.clear();
    waiting.forEach(w -> promises.add(w.confirmed()));
    waiting.clear();
    promises.forEach(p -> p.tryFail(cause));
  }

  // closing waits for the broker's close-ok: never on the event loop
  private void closeInBackground(Channel ch) {
    if (ch.isOpen()) {
      context.executeBlocking(() -> {
        closeQuietly(ch);
        return null;
      }, false);
    }
  }

  private static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.abort();
      }
    } catch (Exception ignored) {
      // closing a channel that is already going away
    }
  }
}
