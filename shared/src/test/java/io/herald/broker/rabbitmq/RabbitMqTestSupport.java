package io.herald.broker.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.herald.broker.RawMessage;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The raw Java AMQP client, as a third party uses it: publishes foreign messages, reads queues, and removes what a
 * test namespace declared. Blocking: call it from the test thread.
 */
final class RabbitMqTestSupport implements AutoCloseable {

  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private final Connection connection;
  private final Set<String> queues = ConcurrentHashMap.newKeySet();
  private final Set<String> exchanges = ConcurrentHashMap.newKeySet();

  RabbitMqTestSupport() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(HOST);
    factory.setPort(PORT);
    factory.setUsername("guest");
    factory.setPassword("guest");
    factory.setAutomaticRecoveryEnabled(false);
    this.connection = factory.newConnection("herald tests");
  }

  /** Remembers a namespace's exchanges and the queues of {@code groups}, to delete them in {@link #close()}. */
  void track(String namespace, String... groups) {
    exchanges.add(namespace);
    exchanges.add(namespace + ".dlx");
    for (String group : groups) {
      queues.add(namespace + "." + group);
      queues.add(namespace + "." + group + ".dlq");
    }
  }

  void trackQueue(String queue) {
    queues.add(queue);
  }

  /** Publishes with confirm, as a foreign publisher would. */
  void publish(String exchange, String routingKey, AMQP.BasicProperties properties, byte[] body) throws Exception {
    try (Channel ch = connection.createChannel()) {
      ch.confirmSelect();
      ch.basicPublish(exchange, routingKey, properties, body);
      ch.waitForConfirmsOrDie(10_000);
    }
  }

  /** Declares a queue of the test's own bound to {@code exchange}, as a third-party consumer would. */
  void bindQueue(String queue, String exchange, String bindingKey) throws Exception {
    trackQueue(queue);
    try (Channel ch = connection.createChannel()) {
      ch.queueDeclare(queue, false, false, false, null);
      ch.queueBind(queue, exchange, bindingKey);
    }
  }

  /** Declares a durable queue with no arguments, as an older deployment might have left it. */
  void declarePlainQueue(String queue) throws Exception {
    trackQueue(queue);
    try (Channel ch = connection.createChannel()) {
      ch.queueDeclare(queue, true, false, false, null);
    }
  }

  void delete(String queue) throws Exception {
    try (Channel ch = connection.createChannel()) {
      ch.queueDelete(queue);
    }
  }

  /** Deletes {@code queue} and declares it again, durable, with {@code arguments}, bound to {@code exchange}. */
  void redeclare(String queue, String exchange, String bindingKey, java.util.Map<String, Object> arguments) throws Exception {
    trackQueue(queue);
    try (Channel ch = connection.createChannel()) {
      ch.queueDelete(queue);
      ch.queueDeclare(queue, true, false, false, arguments);
      ch.queueBind(queue, exchange, bindingKey);
    }
  }

  /** @return everything in {@code queue}, oldest first, removed from it */
  List<GetResponse> drain(String queue) throws Exception {
    List<GetResponse> got = new ArrayList<>();
    try (Channel ch = connection.createChannel()) {
      GetResponse r;
      while ((r = ch.basicGet(queue, true)) != null) {
        got.add(r);
      }
    }
    return got;
  }

  /** @return the dead letters of a group, as {@link RawMessage}s */
  List<RawMessage> deadLetters(String namespace, String group) throws Exception {
    String dlq = namespace + "." + group + ".dlq";
    List<RawMessage> letters = new ArrayList<>();
    List<GetResponse> got;
    try {
      got = drain(dlq);
    } catch (java.io.IOException e) {
      if (String.valueOf(e.getCause()).contains("NOT_FOUND")) {
        return letters; // the queue is gone (a test deleted it): it holds nothing
      }
      throw e;
    }
    for (GetResponse r : got) {
      letters.add(new RawMessage(Buffer.buffer(r.getBody()), RabbitMqBinding.rawHeaders(r.getProps()), dlq));
    }
    return letters;
  }

  long messageCount(String queue) throws Exception {
    try (Channel ch = connection.createChannel()) {
      return ch.messageCount(queue);
    }
  }

  @Override
  public void close() throws Exception {
    for (String queue : queues) {
      try (Channel ch = connection.createChannel()) {
        ch.queueDelete(queue);
      } catch (Exception ignored) {
        // never declared
      }
    }
    for (String exchange : exchanges) {
      try (Channel ch = connection.createChannel()) {
        ch.exchangeDelete(exchange);
      } catch (Exception ignored) {
        // never declared
      }
    }
    connection.close();
  }
}
