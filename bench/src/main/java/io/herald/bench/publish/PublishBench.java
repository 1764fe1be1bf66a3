package io.herald.bench.publish;

import io.herald.event.RecordedEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.util.List;

/**
 * One broker's side of the publish benchmark: the same events published with confirms through Herald's adapter
 * and through the broker's own client, so the report can print the ratio of the two.
 */
public interface PublishBench {

  /** @return the broker, as spelled in {@code broker.type} */
  String broker();

  /**
   * Publishes {@code events} through Herald's adapter, confirmed as the adapter confirms them (its own
   * batching and pipelining are fair game), into a namespace of its own.
   *
   * @return the elapsed time from the first send to the last confirm, in nanoseconds
   */
  Future<Long> viaHerald(Vertx vertx, String namespace, List<RecordedEvent> events);

  /**
   * Publishes the same payloads with the broker's own client and the same guarantee (Kafka acks=all, RabbitMQ
   * publisher confirms, the XADD reply, the JetStream ack), pipelined as that client allows.
   *
   * @return the elapsed time from the first send to the last confirm, in nanoseconds
   */
  Future<Long> viaRawClient(Vertx vertx, String namespace, List<Buffer> payloads);
}
