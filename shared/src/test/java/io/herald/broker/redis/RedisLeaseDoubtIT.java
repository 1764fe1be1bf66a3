package io.herald.broker.redis;

import static io.herald.broker.TestEvents.orderPaid;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.broker.Delivery;
import io.herald.broker.TestEvents;
import io.herald.event.RecordedEvent;
import io.herald.testing.TcpProxy;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayName("Redis broker groups: a member whose lease is in doubt starts nothing new")
@Timeout(value = 90, unit = SECONDS)
class RedisLeaseDoubtIT extends RedisTestSupport {

  private static final long LEASE_MS = 6_000;

  @Test
  @DisplayName("cut off from Redis, the active member starts no handler after its first failed renewal: what it had"
      + " read and not started goes to the member that takes the group over, and only there")
  void memberInDoubtStartsNothingNew() throws Exception {
    TcpProxy proxy = TcpProxy.start(vertx, "127.0.0.1", RedisBrokerIT.PORT).await(5, SECONDS);
    try {
      // one handler at a time, so the second stream's entry waits in the member behind the first
      RedisBroker isolated = started("127.0.0.1", proxy.port(),
          o -> o.put("leaseMs", LEASE_MS).put("maxInFlightPerMember", 1));
      List<String> journal = new CopyOnWriteArrayList<>();
      AtomicReference<Delivery> running = new AtomicReference<>();
      isolated.subscribe("boxer", List.of("order.*"), d -> {
        journal.add("isolated started " + d.event().position());
        running.compareAndSet(null, d);
      }).await(10, SECONDS);
      await("the proxied member holds the lease", 10, () -> leaseTtlMs() > 0);
      RedisBroker healthy = started(o -> o.put("leaseMs", LEASE_MS));
      healthy.subscribe("boxer", List.of("order.*"), d -> {
        journal.add("healthy started " + d.event().position());
        d.ack();
      }).await(10, SECONDS);
      healthy.publishAll(List.of(new RecordedEvent(1, "order-x", orderPaid("x")),
          new RecordedEvent(2, "order-y", orderPaid("y")))).await(10, SECONDS);
      await("the proxied member runs the first entry", 10, () -> running.get() != null);
      await("the proxied member has read both entries", 10,
          () -> RedisBrokerBindingIT.pending(namespace + ".order", namespace + ".boxer") == 2);

      proxy.cut();
      // renewals come every third of the lease: once the time to live is well below two thirds, one has failed
      await("a renewal of the lease failed", 10, () -> leaseTtlMs() < LEASE_MS * 2 / 3 - 300);
      assertThat(leaseTtlMs()).as("the lease is still the proxied member's").isGreaterThan(LEASE_MS / 3);
      running.get().nack(new IllegalStateException("try again later"));   // frees its only slot

      await("the other member took both entries over", 40, () -> journal.stream().filter(j -> j.startsWith("healthy")).count() == 2);
      TestEvents.pause(300);
      assertThat(journal).containsExactly("isolated started 1", "healthy started 1", "healthy started 2");
    } finally {
      proxy.close().await(5, SECONDS);
    }
  }

  private long leaseTtlMs() {
    return get(raw.send(Request.cmd(Command.PTTL).arg(namespace + ".lease.boxer"))).toLong();
  }
}
