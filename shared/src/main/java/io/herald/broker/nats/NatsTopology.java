package io.herald.broker.nats;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.ReplayPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.api.StreamInfo;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates what the broker needs on the server, idempotently: the event stream, the dead-letter stream, the lease
 * bucket and each group's durable consumer. Every method blocks on JetStream management calls: call them on a
 * worker thread only.
 */
final class NatsTopology {

  private static final Logger log = LoggerFactory.getLogger(NatsTopology.class);

  static final int STREAM_NOT_FOUND = 10059;
  static final int CONSUMER_NOT_FOUND = 10014;
  static final int BUCKET_NOT_FOUND = 10059;

  private final NatsNames names;
  private final NatsBrokerOptions options;

  NatsTopology(NatsNames names, NatsBrokerOptions options) {
    this.names = names;
    this.options = options;
  }

  void ensureStreams(JetStreamManagement jsm) throws IOException, JetStreamApiException {
    ensureStream(jsm, StreamConfiguration.builder()
        .name(names.stream())
        .description("Herald events, one subject per event type")
        .subjects(names.streamSubjects())
        .storageType(StorageType.File)
        .replicas(options.replicas())
        .maxAge(Duration.ofSeconds(options.maxAgeSeconds()))
        .duplicateWindow(Duration.ofSeconds(options.duplicateWindowSeconds()))
        .build());
    ensureStream(jsm, StreamConfiguration.builder()
        .name(names.deadStream())
        .description("Herald dead letters, one subject per consumer group")
        .subjects(names.deadStreamSubjects())
        .storageType(StorageType.File)
        .replicas(options.replicas())
        .maxAge(Duration.ofSeconds(options.deadLetterMaxAgeSeconds()))
        .duplicateWindow(Duration.ofSeconds(Math.min(options.duplicateWindowSeconds(),
            options.deadLetterMaxAgeSeconds() == 0 ? Long.MAX_VALUE : options.deadLetterMaxAgeSeconds())))
        .build());
  }

  private static void ensureStream(JetStreamManagement jsm, StreamConfiguration wanted)
      throws IOException, JetStreamApiException {
    StreamInfo existing;
    try {
      existing = jsm.getStreamInfo(wanted.getName());
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
        throw e;
      }
      jsm.addStream(wanted);
      log.info("created JetStream stream {} on {}", wanted.getName(), wanted.getSubjects());
      return;
    }
    StreamConfiguration have = existing.getConfiguration();
    if (!have.getSubjects().equals(wanted.getSubjects())) {
      throw new IllegalStateException("JetStream stream " + wanted.getName() + " exists with subjects "
          + have.getSubjects() + ", expected " + wanted.getSubjects());
    }
    if (!Objects.equals(have.getMaxAge(), wanted.getMaxAge())
        || !Objects.equals(have.getDuplicateWindow(), wanted.getDuplicateWindow())) {
      jsm.updateStream(StreamConfiguration.builder(have).maxAge(wanted.getMaxAge())
          .duplicateWindow(wanted.getDuplicateWindow()).build());
      log.info("updated JetStream stream {}: max age {}, duplicate window {}", wanted.getName(), wanted.getMaxAge(),
          wanted.getDuplicateWindow());
    }
  }

  /** @return the lease bucket, created with the lease TTL as its max age when absent */
  KeyValue ensureLeaseBucket(Connection connection, Duration requestTimeout) throws IOException, JetStreamApiException {
    KeyValueOptions kvOptions = KeyValueOptions.builder()
        .jetStreamOptions(JetStreamOptions.builder().requestTimeout(requestTimeout).build()).build();
    KeyValueManagement kvm = connection.keyValueManagement(kvOptions);
    Duration ttl = Duration.ofMillis(options.leaseMs());
    try {
      Duration have = kvm.getStatus(names.leaseBucket()).getTtl();
      if (!ttl.equals(have)) {
        log.warn("lease bucket {} keeps leases for {}, not the configured {}; the bucket's TTL wins",
            names.leaseBucket(), have, ttl);
      }
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != BUCKET_NOT_FOUND) {
        throw e;
      }
      kvm.create(KeyValueConfiguration.builder()
          .name(names.leaseBucket())
          .description("Herald consumer-group leases: the active member of each group")
          .maxHistoryPerKey(1)
          .ttl(ttl)
          .storageType(StorageType.File)
          .replicas(options.replicas())
          .build());
    }
    return connection.keyValue(names.leaseBucket(), kvOptions);
  }

  /**
   * Creates the group's durable pull consumer, delivering only messages stored from now on; an existing one keeps
   * its position (it continues from what was acked) and gets the configured ack wait, max ack pending and filter.
   *
   * @throws IllegalStateException when the server refuses to change an existing consumer's filter
   */
  void ensureConsumer(JetStreamManagement jsm, String group, String filterSubject)
      throws IOException, JetStreamApiException {
    ConsumerInfo existing;
    try {
      existing = jsm.getConsumerInfo(names.stream(), group);
    } catch (JetStreamApiException e) {
      if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) {
        throw e;
      }
      jsm.addOrUpdateConsumer(names.stream(), ConsumerConfiguration.builder()
          .durable(group)
          .description("Herald consumer group " + group)
          .filterSubject(filterSubject)
          .ackPolicy(AckPolicy.Explicit)
          .deliverPolicy(DeliverPolicy.New)
          .replayPolicy(ReplayPolicy.Instant)
          .ackWait(Duration.ofMillis(options.ackWaitMs()))
          .maxAckPending(options.maxAckPending())
          .maxDeliver(-1)
          .build());
      log.info("created durable consumer {} on stream {} filtered by {}", group, names.stream(), filterSubject);
      return;
    }
    ConsumerConfiguration have = existing.getConsumerConfiguration();
    String haveFilter = have.getFilterSubject();
    boolean sameFilter = filterSubject.equals(haveFilter)
        || (haveFilter == null && List.of(filterSubject).equals(have.getFilterSubjects()));
    if (sameFilter && Duration.ofMillis(options.ackWaitMs()).equals(have.getAckWait())
        && have.getMaxAckPending() == options.maxAckPending()) {
      return;
    }
    try {
      jsm.addOrUpdateConsumer(names.stream(), ConsumerConfiguration.builder(have)
          .filterSubject(filterSubject)
          .ackWait(Duration.ofMillis(options.ackWaitMs()))
          .maxAckPending(options.maxAckPending())
          .build());
    } catch (JetStreamApiException e) {
      throw new IllegalStateException("consumer group '" + group + "' exists on stream " + names.stream()
          + " filtered by " + haveFilter + "; the server refused to change it to " + filterSubject + ": "
          + e.getMessage(), e);
    }
  }
}
