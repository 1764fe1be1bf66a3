package io.herald.broker.redis;

import static io.herald.broker.TestEvents.orderPaid;
import static io.herald.broker.TestEvents.orderShipped;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.BrokerUnavailableException;
import io.herald.broker.Delivery;
import io.herald.broker.TestEvents;
import io.herald.event.RecordedEvent;
import io.herald.testing.TcpProxy;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Redis broker outages: failing fast, reconnecting by itself, losing nothing confirmed")
@Timeout(value = 60, unit = SECONDS)
class RedisBrokerReconnectIT extends RedisTestSupport {

  private TcpProxy proxy;

  @BeforeEach
  void startProxy() throws Exception {
    proxy = TcpProxy.start(vertx, "127.0.0.1", RedisBrokerIT.PORT).await(5, SECONDS);
  }

  @AfterEach
  void stopProxy() throws Exception {
    proxy.close().await(5, SECONDS);
  }

  @Test
  @DisplayName("while Redis is unreachable publish and ping fail with BrokerUnavailableException; afterwards both work without a restart")
  void failsFastAndRecovers() throws Exception {
    RedisBroker broker = started("127.0.0.1", proxy.port(), o -> o);
    broker.publish(new RecordedEvent(1, "order-f", orderPaid("f"))).await(10, SECONDS);

    proxy.cut();
    Throwable publishFailure = failureOf(broker.publish(new RecordedEvent(2, "order-f", orderShipped("f"))));
    Throwable pingFailure = failureOf(broker.ping());

    assertThat(publishFailure).isInstanceOf(BrokerUnavailableException.class);
    assertThat(pingFailure).isInstanceOf(BrokerUnavailableException.class);
    proxy.restore();
    broker.ping().await(10, SECONDS);
    broker.publish(new RecordedEvent(2, "order-f", orderShipped("f"))).await(10, SECONDS);
    long length = get(raw.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.XLEN)
        .arg(namespace + ".order"))).toLong();
    assertThat(length).isEqualTo(2);
  }

  @Test
  @DisplayName("a consumer whose connection drops twice mid-stream gets every confirmed event, each stream in order")
  void consumerLosesNothingAcrossOutages() throws Exception {
    RedisBroker consumer = started("127.0.0.1", proxy.port(), o -> o);
    RedisBroker publisher = started(o -> o);
    Map<String, List<Long>> firstArrivals = new ConcurrentHashMap<>();
    Set<Long> seen = ConcurrentHashMap.newKeySet();
    consumer.subscribe("archive", List.of("order.*"), d -> {
      RecordedEvent e = d.event();
      if (seen.add(e.position())) {
        firstArrivals.computeIfAbsent(e.streamId(), k -> new CopyOnWriteArrayList<>()).add(e.position());
      }
      vertx.setTimer(2, t -> d.ack());
    }).await(10, SECONDS);
    List<RecordedEvent> events = new ArrayList<>();
    Map<String, List<Long>> expected = new LinkedHashMap<>();
    for (long p = 1; p <= 300; p++) {
      String stream = "order-" + (p % 5);
      events.add(new RecordedEvent(p, stream, p % 2 == 0 ? orderPaid(stream) : orderShipped(stream)));
      expected.computeIfAbsent(stream, k -> new ArrayList<>()).add(p);
    }

    for (int chunk = 0; chunk < 3; chunk++) {
      publisher.publishAll(events.subList(chunk * 100, chunk * 100 + 100)).await(10, SECONDS);
      if (chunk < 2) {
        int before = seen.size();
        await("some of the chunk is consumed", 20, () -> seen.size() > before);
        proxy.cut();
        TestEvents.pause(1_200);
        proxy.restore();
      }
    }
    await("all 300 events are consumed", 40, () -> seen.size() == 300);

    assertThat(firstArrivals).isEqualTo(expected);
    await("nothing stays pending", 20, () -> RedisBrokerBindingIT.pending(namespace + ".order", namespace + ".archive") == 0);
  }

  @Test
  @DisplayName("an ack made during a short outage goes through once Redis is back; the event is not delivered again")
  void ackDuringAShortOutageIsRetried() throws Exception {
    RedisBroker consumer = started("127.0.0.1", proxy.port(), o -> o.put("leaseMs", 6_000));
    List<Delivery> got = new CopyOnWriteArrayList<>();
    consumer.subscribe("invoicer", List.of("order.*"), got::add).await(10, SECONDS);
    started(o -> o).publish(new RecordedEvent(1, "order-k", orderPaid("k"))).await(10, SECONDS);
    await("the event arrives", 20, () -> got.size() == 1);

    proxy.cut();
    Future<Void> ack = got.get(0).ack();
    TestEvents.pause(300);
    assertThat(ack.isComplete()).as("the ack completed while Redis was unreachable").isFalse();
    proxy.restore();

    ack.await(20, SECONDS);
    started(o -> o).publish(new RecordedEvent(2, "order-k", orderShipped("k"))).await(10, SECONDS);
    await("the next event arrives", 20, () -> got.size() >= 2);
    TestEvents.pause(300);
    assertThat(got.stream().map(d -> d.event().position() + "#" + d.attempt()).toList()).containsExactly("1#1", "2#1");
  }

  private static Throwable failureOf(Future<?> future) {
    await("the future completes", 20, future::isComplete);
    assertThat(future.failed()).as("the future failed").isTrue();
    return future.cause();
  }
}
