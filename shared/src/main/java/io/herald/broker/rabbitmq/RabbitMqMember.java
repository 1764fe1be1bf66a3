package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.ShutdownSignalException;
import io.herald.async.Backoff;
import io.herald.async.OnContext;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeadLetterHeaders;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.lanes.MemberMessage;
import io.herald.broker.lanes.StreamLanes;
import io.herald.broker.support.LaneMember;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subscription of a consumer group: a channel of its own with {@code basic.qos(prefetch)} and a manual-ack
 * consumer on the group's queue, feeding {@link StreamLanes}. Messages whose type the group's patterns do not match
 * (the queue is bound more broadly than the patterns) are acked at once; at most {@code maxBuffered} messages are
 * handed to the lanes, the rest are held back until some are settled. When the channel goes away the lanes are reset
 * (RabbitMQ requeues everything unacked), and the broker's recovery opens a new channel; {@link #close()} closes the
 * channel without acking anything unsettled, {@link #leave()} first waits for the handlers still running. Confined to
 * the subscriber's context.
 */
final class RabbitMqMember extends LaneMember implements MemberMessage.Settler<RabbitMqMember.Received> {

  private static final Logger log = LoggerFactory.getLogger(RabbitMqMember.class);
  private static final long REOPEN_DELAY_MS = 500;

  /** Where dead letters go: the group's dead-letter queue, through a confirmed publish. */
  @FunctionalInterface
  interface DeadLetterSink {
    Future<Void> publish(String group, AMQP.BasicProperties properties, byte[] body);
  }

  private final String queue;
  private final RabbitMqBinding codec;
  private final DeadLetterSink deadLetters;
  private final RabbitMqBrokerOptions options;
  private final ChannelWriter writer;
  private final ArrayDeque<MemberMessage<Received>> held = new ArrayDeque<>();
  private Channel channel;
  private Connection connection;
  private Connection openingOn;
  private Future<Void> opening;
  private long undecodable;

  RabbitMqMember(Vertx vertx, Context context, String group, String queue, TypePatterns patterns, DeliveryHandler handler,
              RabbitMqBinding codec, DeadLetterSink deadLetters, RabbitMqBrokerOptions options) {
    super(vertx, context, group, patterns, handler, new Settings(options.maxInFlightPerMember(),
        new Backoff(options.redeliveryBaseMs(), options.redeliveryCapMs()), options.handBackTimeoutMs()));
    this.queue = queue;
    this.codec = codec;
    this.deadLetters = deadLetters;
    this.options = options;
    this.lanes.onSettled(this::release);
    this.writer = new ChannelWriter(context, options.writeBatch());
  }

  /** A message as it came from RabbitMQ: what acking it, and moving it to the dead letters, need. */
  record Received(Channel channel, long deliveryTag, AMQP.BasicProperties properties, byte[] body) {
  }

  /** A group's queue and the patterns it is bound by. */
  record Binding(String group, TypePatterns patterns) {
  }

  Binding binding() {
    return new Binding(group, patterns);
  }

  TypePatterns patterns() {
    return patterns;
  }

  /** Starts consuming on a channel of {@code c}; a no-op when already consuming on it. Completes on the caller's context. */
  Future<Void> open(Connection c) {
    Context caller = Vertx.currentContext();
    Promise<Void> opened = Promise.promise();
    OnContext.run(context, () -> {
      if (closed() || (channel != null && channel.isOpen() && connection == c)) {
        opened.complete();
      } else if (openingOn == c && opening != null) {
        opening.onComplete(opened);
      } else {
        openingOn = c;
        opening = openOn(c).andThen(ar -> {
          if (openingOn == c) {
            openingOn = null;
            opening = null;
          }
        });
        opening.onComplete(opened);
      }
    });
    return OnContext.of(caller, opened.future());
  }

  // the channel is known here before the consumer starts, so no delivery arrives for a channel not yet known
  private Future<Void> openOn(Connection c) {
    return context.<Channel>executeBlocking(() -> {
      Channel ch = c.createChannel();
      ch.basicQos(options.prefetch());
      ch.addShutdownListener(signal -> context.runOnContext(v -> channelLost(ch, signal)));
      return ch;
    }, false).compose(ch -> {
      if (closed()) {
        return closeChannel(ch);
      }
      channel = ch;
      connection = c;
      return context.executeBlocking(() -> ch.basicConsume(queue, false, "", false, false, null, new QueueConsumer(ch)), false)
          .<Void>mapEmpty();
    });
  }

  /**
   * Closes the channel without acking anything unsettled, so RabbitMQ gives it to the next active consumer. Leaving
   * first lets the handlers still running finish, their acks written before the channel closes; the consumer stays
   * registered meanwhile, so with a single active consumer the next one is not given the queue (and a stream's next
   * message) before this one is done with the previous.
   */
  @Override
  protected Future<Void> shutDown() {
    held.clear();
    Channel ch = channel;
    channel = null;
    // behind the acks already submitted, so what was settled is recorded before the channel closes
    return ch == null ? Future.succeededFuture() : writer.submit(ch, RabbitMqMember::closeQuietly).mapEmpty();
  }

  Future<Void> ack(Channel ch, long deliveryTag) {
    if (ch != channel || !ch.isOpen()) {
      return Future.failedFuture(new BrokerUnavailableException("the RabbitMQ channel of group '" + group
          + "' closed before the ack; RabbitMQ delivers the message again"));
    }
    // AMQP acks have no reply, so a written ack is no more "recorded" than a queued one: the lane moves on now, and
    // the writer sends acks in order, before the channel is closed; one that cannot be written is redelivered
    writer.submit(ch, c -> c.basicAck(deliveryTag, false)).onFailure(err ->
        log.debug("ack of message #{} on queue '{}' not written: {}", deliveryTag, queue, err.toString()));
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> ack(MemberMessage<Received> message) {
    return ack(message.source().channel(), message.source().deliveryTag());
  }

  @Override
  public Future<Void> deadLetter(MemberMessage<Received> message, Throwable reason, int attempts) {
    Received m = message.source();
    Map<String, Object> headers = new LinkedHashMap<>();
    if (m.properties().getHeaders() != null) {
      headers.putAll(m.properties().getHeaders());
    }
    headers.putAll(DeadLetterHeaders.of(reason, attempts, group, queue));
    AMQP.BasicProperties letter = m.properties().builder().headers(headers).deliveryMode(2).build();
    return deadLetters.publish(group, letter, m.body()).compose(v -> ack(message));
  }

  private void onMessage(Channel ch, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
    if (closed() || ch != channel) {
      return; // that channel is gone, and RabbitMQ requeued what it had not been acked
    }
    RawMessage raw = new RawMessage(Buffer.buffer(body), RabbitMqBinding.rawHeaders(properties), queue);
    MemberMessage<Received> message = new MemberMessage<>(this, new Received(ch, envelope.getDeliveryTag(), properties,
        body), 0, raw, attempt(envelope, properties), () -> codec.decode(properties, body), queue + " " + (++undecodable));
    if (!patterns.matches(message.event() != null ? message.event().type() : envelope.getRoutingKey())) {
      // bound broadly (AMQP wildcards are coarser than Herald's): not for this group
      ack(ch, envelope.getDeliveryTag());
      return;
    }
    if (!held.isEmpty() || lanes.buffered() >= options.maxBuffered()) {
      held.addLast(message);
    } else {
      lanes.offer(message);
    }
  }

  private void release() {
    while (!held.isEmpty() && lanes.buffered() < options.maxBuffered() && !closed()) {
      lanes.offer(held.pollFirst());
    }
  }

  // classic queues only say "redelivered"; quorum queues count deliveries in x-delivery-count
  private static int attempt(Envelope envelope, AMQP.BasicProperties properties) {
    Object count = properties.getHeaders() == null ? null : properties.getHeaders().get("x-delivery-count");
    if (count instanceof Number n) {
      return n.intValue() + 1;
    }
    return envelope.isRedeliver() ? 2 : 1;
  }

  private void channelLost(Channel ch, ShutdownSignalException signal) {
    if (ch != channel) {
      return;
    }
    channel = null;
    lanes.reset();
    held.clear();
    if (closed()) {
      return;
    }
    Connection c = connection;
    if (c != null && c.isOpen()) {
      // a channel-level error (the queue was deleted, a bad ack...): the connection is fine, consume again on it
      log.warn("consumer channel of group '{}' closed, reopening it: {}", group, signal.getMessage());
      vertx.setTimer(REOPEN_DELAY_MS, t -> {
        if (!closed() && channel == null && c.isOpen()) {
          open(c).onFailure(err -> log.warn("cannot reopen the consumer of group '{}': {}", group, err.toString()));
        }
      });
    }
  }

  private Future<Void> closeChannel(Channel ch) {
    return context.executeBlocking(() -> {
      closeQuietly(ch);
      return null;
    }, false);
  }

  private static void closeQuietly(Channel ch) {
    try {
      if (ch.isOpen()) {
        ch.close();
      }
    } catch (Exception e) {
      log.debug("closing a consumer channel: {}", e.toString());
    }
  }

  /** The Java client calls this on its own threads; everything is handed to the member's context, in order. */
  private final class QueueConsumer extends DefaultConsumer {

    private final Channel ch;

    QueueConsumer(Channel ch) {
      super(ch);
      this.ch = ch;
    }

    @Override
    public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties, byte[] body) {
      context.runOnContext(v -> onMessage(ch, envelope, properties, body));
    }

    @Override
    public void handleCancel(String consumerTag) {
      // RabbitMQ cancelled the consumer (its queue was deleted): nothing more arrives on this channel
      log.warn("RabbitMQ cancelled the consumer of group '{}' on queue '{}'", group, queue);
    }
  }
}
