package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import io.herald.async.OnContext;
import io.herald.broker.BrokerException;
import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.DeliveryHandler;
import io.herald.broker.RawMessage;
import io.herald.broker.TypePatterns;
import io.herald.broker.support.AbstractBroker;
import io.herald.event.EventRegistry;
import io.herald.event.RecordedEvent;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The RabbitMQ adapter: a durable topic exchange per namespace, a durable queue per consumer group, publisher
 * confirms, manual acks, dead letters through a dead-letter exchange. See the package documentation for the mapping
 * and the CloudEvents binding.
 *
 * <p><b>Publishing.</b> An event is published to the exchange {@code <namespace>} with its type as routing key, as a
 * persistent message, on one channel in confirm mode; {@link #publish} succeeds once RabbitMQ has confirmed it (it
 * is then in every bound queue). Publishes are pipelined: {@link #publishAll} writes the whole list without waiting
 * for each confirm (at most {@link RabbitMqBrokerOptions#maxUnconfirmed()} unconfirmed at a time), in order, on the
 * one channel, so each queue receives them in list order. When a publish of the list fails, the ones before it were
 * confirmed and the ones after it may have reached the queues as well (at least once: the relay publishes them again,
 * consumers deduplicate by event id).
 *
 * <p><b>Consuming.</b> {@link #subscribe} declares the group's queue {@code <namespace>.<group>} (with
 * {@code x-single-active-consumer}, so one member of a group consumes at a time and the others take over, in queue
 * order, when it goes away) and binds it before it completes, so the group receives every event published from then
 * on, including while it has no member. Each member consumes with {@code basic.qos(prefetch)} and manual acks and
 * hands messages to {@link io.herald.broker.lanes.StreamLanes}: one stream at a time, redelivered locally after a
 * nack, acked with RabbitMQ when the lane settles. AMQP acks have no reply, so {@code ack()} succeeds once the ack is
 * queued on the live channel it came on (acks are written in order, before that channel is closed); it fails when
 * that channel is gone, and RabbitMQ delivers the message again. Closing a subscription or the broker acks nothing
 * unsettled, and RabbitMQ requeues it.
 *
 * <p><b>Outages.</b> When the connection is lost, unconfirmed publishes fail with {@link BrokerUnavailableException},
 * members forget what they had not settled (RabbitMQ requeues it), and the broker reconnects by itself with
 * exponential backoff; on the new connection it declares everything again and every member consumes again. Until
 * then {@link #ping()}, {@link #publish} and {@link #subscribe} fail with {@link BrokerUnavailableException}. While
 * RabbitMQ blocks publishers ({@code connection.blocked}: a memory or disk alarm), {@link #ping()} and publishing fail
 * the same way instead of holding a worker thread on a socket RabbitMQ no longer reads; consumers keep acking.
 *
 * <p><b>Threads.</b> The Java AMQP client blocks on RPCs and socket writes, so every call into it runs on the worker
 * pool (writes in batches); its callbacks are handed to the owning context. Connection and publisher state live on
 * the context the broker was created on, each member's on its subscriber's context; every future completes on the
 * caller's context.
 */
public final class RabbitMqBroker extends AbstractBroker<RabbitMqMember, RabbitMqBrokerOptions> {

  private static final Logger log = LoggerFactory.getLogger(RabbitMqBroker.class);
  private static final int MAX_NAME_BYTES = 255;

  /** Blocking work on a short-lived channel. */
  @FunctionalInterface
  private interface ChannelWork {
    void run(Channel channel) throws Exception;
  }

  private final RabbitMqBinding codec;
  private final Topology topology;
  private final ConfirmPublisher publisher;
  private RabbitMqConnection connection;

  /** Creates a broker with {@link RabbitMqBrokerOptions#defaults()}. */
  public RabbitMqBroker(Vertx vertx, EventRegistry registry) {
    this(vertx, RabbitMqBrokerOptions.defaults(), registry);
  }

  /**
   * @param registry the event types, to read and write the CloudEvents binding
   */
  public RabbitMqBroker(Vertx vertx, RabbitMqBrokerOptions options, EventRegistry registry) {
    super(vertx, options);
    this.codec = new RabbitMqBinding(registry, options.binding());
    this.topology = new Topology(options.namespace());
    this.publisher = new ConfirmPublisher(vertx, context, options.maxUnconfirmed(), options.writeBatch());
  }

  @Override
  public String name() {
    return "rabbitmq " + options.host() + ":" + options.port() + " exchange " + topology.exchange();
  }

  /** Connects, declares the exchanges and opens the publishing channel. */
  @Override
  protected Future<Void> open() {
    connection = new RabbitMqConnection(vertx, context, options, "herald " + topology.exchange(), this::recover,
        publisher::connectionLost);
    return connection.open();
  }

  // the publisher stays: it serves the next start's connection
  @Override
  protected void undoOpen() {
    connection.close();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Fails with {@link BrokerUnavailableException} when not started or not connected (reconnecting), or when the
   * connection is lost before the confirm; with {@link BrokerException} when RabbitMQ refuses the message.
   */
  @Override
  public Future<Void> publish(RecordedEvent event) {
    return publishAll(List.of(Objects.requireNonNull(event, "event")));
  }

  /**
   * {@inheritDoc} See the class documentation for pipelining. Events are encoded in chunks of
   * {@link RabbitMqBrokerOptions#writeBatch()} on the caller's context, each chunk handed to the publisher before the
   * next is encoded, so a long list neither holds the caller's event loop nor waits to be fully encoded before the
   * first message is written.
   */
  @Override
  public Future<Void> publishAll(List<RecordedEvent> events) {
    Objects.requireNonNull(events, "events");
    if (!state.isStarted()) {
      return Future.failedFuture(state.unavailable());
    }
    if (events.isEmpty()) {
      return Future.succeededFuture();
    }
    Context caller = Vertx.currentContext();
    Context encoder = caller != null ? caller : context;
    Promise<Void> confirmed = Promise.promise();
    List<Future<Void>> confirms = new ArrayList<>(events.size());
    OnContext.run(encoder, () -> publishChunk(events, 0, encoder, confirms, confirmed));
    return OnContext.of(caller, confirmed.future());
  }

  // encodes one chunk on the encoder's context, then queues it on the broker's; confirms is confined to the broker's
  private void publishChunk(List<RecordedEvent> events, int from, Context encoder, List<Future<Void>> confirms,
                            Promise<Void> confirmed) {
    int to = Math.min(events.size(), from + options.writeBatch());
    List<RabbitMqBinding.Outgoing> messages = new ArrayList<>(to - from);
    RuntimeException unencodable = null;
    for (int i = from; i < to && unencodable == null; i++) {
      try {
        messages.add(codec.encode(events.get(i)));
      } catch (RuntimeException e) {
        unencodable = new BrokerException("cannot write position " + events.get(i).position()
            + " in the AMQP CloudEvents binding: " + e.getMessage(), e);
      }
    }
    RuntimeException encodingFailure = unencodable;
    OnContext.run(context, () -> {
      Throwable unavailable = unavailable();
      if (unavailable != null) {
        confirms.add(Future.failedFuture(unavailable));
        whenConfirmed(confirms, confirmed);
        return;
      }
      for (int i = 0; i < messages.size(); i++) {
        RabbitMqBinding.Outgoing m = messages.get(i);
        confirms.add(publisher.publish(topology.exchange(), events.get(from + i).type(), m.properties(), m.body()));
      }
      if (encodingFailure != null) {
        confirms.add(Future.failedFuture(encodingFailure));
        whenConfirmed(confirms, confirmed);
      } else if (to == events.size()) {
        whenConfirmed(confirms, confirmed);
      } else {
        encoder.runOnContext(v -> publishChunk(events, to, encoder, confirms, confirmed));
      }
    });
  }

  private static void whenConfirmed(List<Future<Void>> confirms, Promise<Void> confirmed) {
    if (confirms.size() == 1) {
      confirms.get(0).onComplete(confirmed);
    } else {
      Future.join(confirms).onComplete(all -> firstFailure(confirms, confirmed));
    }
  }

  private static void firstFailure(List<Future<Void>> confirms, Promise<Void> confirmed) {
    for (Future<Void> f : confirms) {
      if (f.failed()) {
        confirmed.fail(f.cause());
        return;
      }
    }
    confirmed.complete();
  }

  /**
   * Declares the group's queue and bindings, and starts consuming. Members of one group are meant to use the same
   * patterns: a queue keeps the bindings it was given, and each member filters by its own patterns, acking what they
   * do not match. Fails with {@link BrokerUnavailableException} when not connected, and with {@link BrokerException}
   * when RabbitMQ refuses the declarations (e.g. a queue of that name exists with other arguments).
   */
  @Override
  protected Future<RabbitMqMember> join(String group, TypePatterns patterns, DeliveryHandler handler,
                                        Context memberContext) {
    return onBrokerContext(() -> {
      if (!connection.ready()) {
        return Future.failedFuture(disconnected());
      }
      Connection c = connection.current();
      RabbitMqMember member = new RabbitMqMember(vertx, memberContext, group, topology.queue(group), patterns, handler,
          codec, this::deadLetter, options);
      track(member);   // a connection made meanwhile consumes for it too
      return onChannel(c, ch -> topology.declareGroup(ch, group, patterns))
          .compose(v -> member.open(c))
          .transform(ar -> {
            if (ar.succeeded()) {
              return Future.succeededFuture(member);
            }
            untrack(member);
            member.close();
            return Future.failedFuture(failure("cannot subscribe group '" + group + "'", ar.cause()));
          });
    });
  }

  @Override
  protected void validateGroup(String group) {
    super.validateGroup(group);
    if (topology.deadLetterQueue(group).getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
      throw new IllegalArgumentException("group '" + group + "' is too long: its queue names must fit in " + MAX_NAME_BYTES + " bytes");
    }
  }

  /** Reads a message in the AMQP CloudEvents binding (either mode), from its headers as text and its body. */
  @Override
  public RecordedEvent decode(RawMessage message) {
    return codec.decode(message);
  }

  /** @return succeeds while started and connected with the publishing channel open */
  @Override
  public Future<Void> ping() {
    return whenStarted(() -> onBrokerContext(() -> {
      Throwable unavailable = unavailable();
      return unavailable != null ? Future.failedFuture(unavailable)
          : publisher.ready() ? Future.succeededFuture() : Future.failedFuture(disconnected());
    }));
  }

  /** Fails unconfirmed publishes and closes the connection, once every member is closed (nothing unsettled is acked). */
  @Override
  protected Future<Void> closeClients() {
    RabbitMqConnection c = connection;
    return publisher.close().eventually(() -> c == null ? Future.succeededFuture() : c.close());
  }

  // called by members (on their context): a confirmed publish to the dead-letter exchange, routed by group
  private Future<Void> deadLetter(String group, AMQP.BasicProperties properties, byte[] body) {
    return onBrokerContext(() -> {
      Throwable unavailable = unavailable();
      // mandatory: with its queue gone, a dead letter fails (and is moved again later) instead of vanishing
      return unavailable != null ? Future.failedFuture(unavailable)
          : publisher.publish(topology.deadLetterExchange(), group, properties, body, true);
    });
  }

  // run on the context with every new connection: the same steps as a first start, plus the members' consumers
  private Future<Void> recover(Connection c) {
    List<RabbitMqMember> snapshot = members();
    Set<RabbitMqMember.Binding> groups = new LinkedHashSet<>();
    snapshot.forEach(m -> groups.add(m.binding()));
    return onChannel(c, ch -> {
      topology.declareExchanges(ch);
      for (RabbitMqMember.Binding g : groups) {
        topology.declareGroup(ch, g.group(), g.patterns());
      }
    }).compose(v -> publisher.open(c))
        .compose(v -> {
          List<Future<Void>> consuming = new ArrayList<>();
          snapshot.forEach(m -> consuming.add(m.open(c)));
          return Future.all(consuming).<Void>mapEmpty();
        });
  }

  private Future<Void> onChannel(Connection c, ChannelWork work) {
    return context.executeBlocking(() -> {
      Channel ch = c.createChannel();
      try {
        work.run(ch);
      } finally {
        if (ch.isOpen()) {
          ch.close();
        }
      }
      return null;
    }, false);
  }

  private Throwable failure(String what, Throwable cause) {
    if (cause instanceof BrokerException) {
      return cause;
    }
    String reason = cause.getCause() != null && cause.getMessage() == null ? cause.getCause().getMessage() : cause.getMessage();
    if (reason != null && reason.contains("inequivalent arg")) {
      reason += " (the queue exists with other arguments, e.g. declared by an older version: delete it, or use "
          + "another group or namespace)";
    }
    return connection != null && connection.ready()
        ? new BrokerException(what + ": " + reason, cause)
        : new BrokerUnavailableException(what + ": " + reason, cause);
  }

  // on the context: why publishing cannot go ahead now, or null
  private Throwable unavailable() {
    if (!state.isStarted()) {
      return state.unavailable();
    }
    if (!connection.ready()) {
      return disconnected();
    }
    String blocked = connection.blocked();
    return blocked == null ? null
        : new BrokerUnavailableException("RabbitMQ blocks publishing on broker '" + name() + "' (resource alarm): " + blocked);
  }

  private BrokerUnavailableException disconnected() {
    return new BrokerUnavailableException("broker '" + name() + "' is not connected to RabbitMQ (reconnecting)");
  }
}
