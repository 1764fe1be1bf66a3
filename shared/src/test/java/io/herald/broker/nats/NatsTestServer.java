package io.herald.broker.nats;

import io.herald.broker.RawMessage;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.MessageInfo;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The NATS server on loopback as tests see it: a raw jnats connection (Herald's binding not involved), test options
 * for a namespace, and clean-up of what each namespace created.
 */
final class NatsTestServer implements AutoCloseable {

  static final int PORT = 4222;

  private final Connection connection;
  private final Set<String> namespaces = ConcurrentHashMap.newKeySet();

  NatsTestServer() throws Exception {
    connection = Nats.connect(new Options.Builder().server("nats://127.0.0.1:" + PORT).build());
  }

  Connection connection() {
    return connection;
  }

  /** Options for a test: quick redeliveries, short leases and waits; remembers the namespace for clean-up. */
  NatsBrokerOptions options(String namespace, String host, int port) {
    namespaces.add(namespace);
    return NatsBrokerOptions.fromJson(new JsonObject()
        .put("servers", "nats://" + host + ":" + port)
        .put("namespace", namespace)
        .put("redeliveryBaseMs", 10)
        .put("redeliveryCapMs", 50)
        .put("ackWaitMs", 5_000)
        .put("leaseTtlMs", 6_000)
        .put("fetchWaitMs", 1_000)
        .put("reconnectWaitMs", 200)
        .put("requestTimeoutMs", 2_000)
        .put("publishTimeoutMs", 5_000));
  }

  /** @return what the dead-letter stream of {@code namespace} holds for {@code group}, oldest first */
  List<RawMessage> deadLetters(String namespace, String group) throws Exception {
    NatsNames names = new NatsNames(namespace);
    JetStreamManagement jsm = connection.jetStreamManagement();
    long last = jsm.getStreamInfo(names.deadStream()).getStreamState().getLastSequence();
    List<RawMessage> letters = new ArrayList<>();
    for (long seq = 1; seq <= last; seq++) {
      MessageInfo info;
      try {
        info = jsm.getMessage(names.deadStream(), seq);
      } catch (JetStreamApiException e) {
        continue; // deleted
      }
      if (info.getSubject().equals(names.deadSubject(group))) {
        letters.add(new RawMessage(Buffer.buffer(info.getData()), NatsBinding.headersOf(info.getHeaders()),
            names.deadStream() + " " + info.getSubject() + " #" + seq));
      }
    }
    return letters;
  }

  /** Deletes the streams and buckets of every namespace handed out. */
  @Override
  public void close() throws Exception {
    JetStreamManagement jsm = connection.jetStreamManagement();
    for (String namespace : namespaces) {
      NatsNames names = new NatsNames(namespace);
      for (String stream : List.of(names.stream(), names.deadStream(), "KV_" + names.leaseBucket())) {
        try {
          jsm.deleteStream(stream);
        } catch (JetStreamApiException e) {
          // never created
        }
      }
    }
    connection.close();
  }

  static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
