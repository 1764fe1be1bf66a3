package io.herald.bench.publish;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.herald.broker.rabbitmq.RabbitMqBroker;
import io.herald.broker.rabbitmq.RabbitMqBrokerOptions;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * RabbitMQ's side of the publish benchmark. Both sides publish persistent messages to a topic exchange of their own
 * whose one durable queue (bound with {@code #}, no consumer) takes every message, with publisher confirms, at most
 * {@link RabbitMqBrokerOptions#maxUnconfirmed()} unconfirmed at a time: Herald through
 * {@link RabbitMqBroker#publishAll}, the raw side with the Java AMQP client's {@code Channel} in confirm mode
 * ({@code confirmSelect}, an asynchronous confirm listener, {@code basicPublish} in a loop on one worker thread).
 * The exchanges and queues are deleted afterwards.
 *
 * <p>By default Herald runs with {@code binding: structured}, so both sides put the same bytes on the wire (the
 * structured CloudEvent as body, no headers). The default binary binding carries the attributes as twelve AMQP
 * headers instead, and decoding a header table costs RabbitMQ itself about a third of its publish rate on a small
 * machine (the raw client with the same headers measured the same drop); pass options with {@code binding: binary}
 * to measure that mode.
 */
public final class RabbitMqPublishBench implements PublishBench {

  private static final String ROUTING_KEY = "order.paid";
  private static final long CONFIRM_TIMEOUT_S = 300;

  private final RabbitMqBrokerOptions options;

  public RabbitMqPublishBench() {
    this(RabbitMqBrokerOptions.fromJson(new JsonObject().put("binding", "structured")));
  }

  /** @param options where RabbitMQ is and how Herald's adapter is tuned; the namespace is replaced per run */
  public RabbitMqPublishBench(RabbitMqBrokerOptions options) {
    this.options = options;
  }

  @Override
  public String broker() {
    return "rabbitmq";
  }

  @Override
  public Future<Long> viaHerald(Vertx vertx, String namespace, List<RecordedEvent> events) {
    RabbitMqBroker broker = new RabbitMqBroker(vertx, options.withNamespace(namespace), BlueprintEvents.registry());
    return broker.start()
        .compose(v -> vertx.executeBlocking(() -> {
          withChannel(ch -> declareSink(ch, namespace));
          return null;
        }))
        .compose(v -> {
          long start = System.nanoTime();
          return broker.publishAll(events).map(done -> System.nanoTime() - start);
        })
        .eventually(broker::close)
        .eventually(() -> vertx.executeBlocking(() -> {
          withChannel(ch -> {
            deleteSink(ch, namespace);
            ch.exchangeDelete(namespace + ".dlx");
          });
          return null;
        }));
  }

  @Override
  public Future<Long> viaRawClient(Vertx vertx, String namespace, List<Buffer> payloads) {
    String exchange = namespace + "-raw";
    return vertx.executeBlocking(() -> {
      try (Connection connection = factory().newConnection("herald bench raw")) {
        Channel ch = connection.createChannel();
        declareSink(ch, exchange);
        try {
          return publishConfirmed(ch, exchange, payloads);
        } finally {
          deleteSink(ch, exchange);
        }
      }
    }, false);
  }

  private long publishConfirmed(Channel ch, String exchange, List<Buffer> payloads) throws Exception {
    byte[][] bodies = new byte[payloads.size()][];
    for (int i = 0; i < bodies.length; i++) {
      bodies[i] = payloads.get(i).getBytes();
    }
    AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
        .contentType("application/json").deliveryMode(2).build();
    Semaphore window = new Semaphore(options.maxUnconfirmed());
    CountDownLatch all = new CountDownLatch(bodies.length);
    AtomicReference<String> refused = new AtomicReference<>();
    ch.confirmSelect();
    long first = ch.getNextPublishSeqNo();
    long[] confirmedUpTo = {first - 1};
    ch.addConfirmListener((tag, multiple) -> confirm(tag, multiple, confirmedUpTo, window, all),
        (tag, multiple) -> {
          refused.set("basic.nack for " + tag);
          confirm(tag, multiple, confirmedUpTo, window, all);
        });
    long start = System.nanoTime();
    for (byte[] body : bodies) {
      window.acquire();
      ch.basicPublish(exchange, ROUTING_KEY, false, props, body);
    }
    if (!all.await(CONFIRM_TIMEOUT_S, TimeUnit.SECONDS)) {
      throw new IllegalStateException("RabbitMQ did not confirm every message within " + CONFIRM_TIMEOUT_S + " s");
    }
    long elapsed = System.nanoTime() - start;
    if (refused.get() != null) {
      throw new IllegalStateException("RabbitMQ refused a message: " + refused.get());
    }
    return elapsed;
  }

  // confirms come in order on the connection's thread; a multiple ack covers every tag up to its own
  private static void confirm(long tag, boolean multiple, long[] confirmedUpTo, Semaphore window, CountDownLatch all) {
    synchronized (confirmedUpTo) {
      long from = multiple ? confirmedUpTo[0] + 1 : tag;
      int count = (int) Math.max(0, tag - from + 1);
      confirmedUpTo[0] = Math.max(confirmedUpTo[0], tag);
      window.release(count);
      for (int i = 0; i < count; i++) {
        all.countDown();
      }
    }
  }

  private static void declareSink(Channel ch, String exchange) throws Exception {
    ch.exchangeDeclare(exchange, BuiltinExchangeType.TOPIC, true, false, null);
    ch.queueDeclare(exchange + ".bench", true, false, false, null);
    ch.queueBind(exchange + ".bench", exchange, "#");
  }

  private static void deleteSink(Channel ch, String exchange) throws Exception {
    ch.queueDelete(exchange + ".bench");
    ch.exchangeDelete(exchange);
  }

  @FunctionalInterface
  private interface ChannelWork {
    void run(Channel channel) throws Exception;
  }

  private void withChannel(ChannelWork work) throws Exception {
    try (Connection connection = factory().newConnection("herald bench setup")) {
      work.run(connection.createChannel());
    }
  }

  private ConnectionFactory factory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(options.host());
    f.setPort(options.port());
    f.setUsername(options.username());
    f.setPassword(options.password());
    f.setVirtualHost(options.virtualHost());
    f.setAutomaticRecoveryEnabled(false);
    return f;
  }
}
