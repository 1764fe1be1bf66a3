package io.herald.bench.publish;

import io.herald.broker.StructuredCloudEvents;
import io.herald.broker.nats.NatsBroker;
import io.herald.broker.nats.NatsBrokerOptions;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.BlueprintEvents;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * NATS JetStream side of the publish benchmark. Herald: {@link NatsBroker#publishAll} (pipelined publishes, each
 * confirmed by its PubAck, in order). Raw: jnats {@code publishAsync} of the same structured CloudEvents bytes with
 * the same headers ({@code Content-Type}, {@code Nats-Msg-Id}) into a stream of the same configuration, every
 * publish sent before waiting, then every PubAck awaited. Each side works in a namespace of its own and deletes
 * its streams afterwards.
 */
public final class NatsPublishBench implements PublishBench {

  private final NatsBrokerOptions options;

  public NatsPublishBench() {
    this(NatsBrokerOptions.defaults());
  }

  /** @param options where the server is and how the adapter publishes; the namespace is replaced per run */
  public NatsPublishBench(NatsBrokerOptions options) {
    this.options = Objects.requireNonNull(options, "options");
  }

  @Override
  public String broker() {
    return "nats";
  }

  @Override
  public Future<Long> viaHerald(Vertx vertx, String namespace, List<RecordedEvent> events) {
    NatsBroker broker = new NatsBroker(vertx, options.withNamespace(namespace), BlueprintEvents.registry());
    long[] started = new long[1];
    return broker.start()
        .compose(v -> {
          started[0] = System.nanoTime();
          return broker.publishAll(events);
        })
        .map(v -> System.nanoTime() - started[0])
        .eventually(() -> broker.close())
        .eventually(() -> vertx.executeBlocking(() -> {
          deleteStreams(namespace);
          return null;
        }, false));
  }

  @Override
  public Future<Long> viaRawClient(Vertx vertx, String namespace, List<Buffer> payloads) {
    return vertx.executeBlocking(() -> {
      try (Connection connection = Nats.connect(natsOptions())) {
        String stream = namespace.toUpperCase(Locale.ROOT);
        connection.jetStreamManagement().addStream(StreamConfiguration.builder()
            .name(stream).subjects(namespace + ".>").storageType(StorageType.File)
            .replicas(options.replicas()).build());
        try {
          return publishRaw(connection.jetStream(), namespace + ".order.paid", payloads);
        } finally {
          connection.jetStreamManagement().deleteStream(stream);
        }
      }
    }, false);
  }

  private long publishRaw(JetStream jetStream, String subject, List<Buffer> payloads) throws Exception {
    long start = System.nanoTime();
    List<CompletableFuture<PublishAck>> acks = new ArrayList<>(payloads.size());
    for (Buffer payload : payloads) {
      Headers headers = new Headers()
          .put("Content-Type", StructuredCloudEvents.CONTENT_TYPE)
          .put("Nats-Msg-Id", UUID.randomUUID().toString());
      acks.add(jetStream.publishAsync(subject, headers, payload.getBytes()));
    }
    for (CompletableFuture<PublishAck> ack : acks) {
      ack.get(options.publishTimeoutMs(), TimeUnit.MILLISECONDS);
    }
    return System.nanoTime() - start;
  }

  private void deleteStreams(String namespace) throws Exception {
    try (Connection connection = Nats.connect(natsOptions())) {
      JetStreamManagement jsm = connection.jetStreamManagement();
      String stream = namespace.toUpperCase(Locale.ROOT);
      for (String name : List.of(stream, stream + "_DEAD", "KV_" + stream + "_LEASES")) {
        try {
          jsm.deleteStream(name);
        } catch (JetStreamApiException e) {
          // not created
        }
      }
    }
  }

  private Options natsOptions() {
    return new Options.Builder().servers(options.servers().toArray(String[]::new)).build();
  }
}
