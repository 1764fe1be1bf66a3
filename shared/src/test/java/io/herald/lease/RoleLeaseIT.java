package io.herald.lease;

import static io.herald.broker.TestEvents.awaitUntil;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.domain.BlueprintEvents;
import io.herald.lease.pg.PgRoles;
import io.herald.lease.pg.RoleHolders;
import io.herald.saga.PgSagaStore;
import io.herald.saga.SagaState;
import io.herald.saga.SagaStatus;
import io.herald.saga.SagaStore;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.herald.testing.Futures;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two "processes" (two Vert.x instances with their own connections) competing for one role on one PostgreSQL schema:
 * one runs the duty, both see who holds it, and when the holder's process goes away the other takes over with a
 * higher epoch, while writes fenced by the old epoch are refused.
 */
@DisplayName("Singleton roles on PostgreSQL")
class RoleLeaseIT {

  private final FreshSchema schema = new FreshSchema("role_it");
  private final Vertx first = Vertx.vertx();
  private final Vertx second = Vertx.vertx();

  @AfterEach
  void tearDown() {
    Futures.await(second.close());
    Futures.await(first.close());
    schema.drop();
  }

  @Test
  @DisplayName("one holder works; the holder is reported by either process; a dead holder's role moves; its fenced writes are refused")
  void failover() {
    PgEventStore storeA = schema.connect(first, BlueprintEvents.registry());
    PgEventStore storeB = schema.connect(second, BlueprintEvents.registry());
    PgRoles rolesA = new PgRoles(first, schema.options().connectOptions(), schema.options().schema(), "node-a", 100, 200);
    PgRoles rolesB = new PgRoles(second, schema.options().connectOptions(), schema.options().schema(), "node-b", 100, 200);
    AtomicInteger runningA = new AtomicInteger();
    AtomicInteger runningB = new AtomicInteger();
    AtomicLong epochB = new AtomicLong();

    LeasedRole roleA = new LeasedRole(first, "sweeper", rolesA.lease("sweeper"), duty(runningA, new AtomicLong()), 100);
    Futures.await(roleA.start());
    awaitUntil("the first process works", () -> roleA.state() == LeasedRole.State.ACTIVE);
    LeasedRole roleB = new LeasedRole(second, "sweeper", rolesB.lease("sweeper"), duty(runningB, epochB), 100);
    Futures.await(roleB.start());
    long epochA = roleA.epoch();

    List<RoleHolders.Holder> seenByB = Futures.await(new RoleHolders(storeB.pool()).held(rolesB.prefix()));
    assertThat(seenByB).extracting(RoleHolders.Holder::role, RoleHolders.Holder::holder, RoleHolders.Holder::epoch)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("sweeper", "node-a", epochA));
    assertThat(roleB.state()).isEqualTo(LeasedRole.State.STANDBY);
    assertThat(runningB.get()).as("duties run by the standby").isZero();

    // a saga written under the first holder's epoch goes through while it holds the role
    SagaStore fencedA = new PgSagaStore(storeA.pool()).fencedBy(rolesA.fenceKey("sweeper"), () -> epochA);
    SagaState saga = SagaState.started("saga-1", "order-1", "reserve", Instant.now(), Instant.now().plusSeconds(30),
        new JsonObject());
    assertThat(Futures.await(fencedA.createAll(List.of(saga)))).hasSize(1);
    Futures.await(fencedA.save(saga.finish(SagaStatus.COMPLETED, Instant.now())));

    // the first process dies: its connections close, so does the lock's session
    Futures.await(storeA.close());
    Futures.await(first.close());
    long killedAt = System.nanoTime();
    awaitUntil("the second process takes over", () -> roleB.state() == LeasedRole.State.ACTIVE);
    assertThat(System.nanoTime() - killedAt).as("takeover time, ns").isLessThan(5_000_000_000L);
    assertThat(runningB.get()).isEqualTo(1);
    assertThat(epochB.get()).as("the new holding's epoch").isGreaterThan(epochA);
    assertThat(Futures.await(new RoleHolders(storeB.pool()).held(rolesB.prefix())))
        .extracting(RoleHolders.Holder::holder).containsExactly("node-b");

    // a write still carrying the old epoch is refused and changes nothing; the new holder's goes through
    SagaStore staleWriter = new PgSagaStore(storeB.pool()).fencedBy(rolesB.fenceKey("sweeper"), () -> epochA);
    assertThat(Futures.failureOf(staleWriter.save(saga.finish(SagaStatus.COMPENSATED, Instant.now()))))
        .isInstanceOf(RoleFencedException.class).hasMessageContaining("epoch " + epochA);
    assertThat(Futures.failureOf(staleWriter.createAll(List.of(SagaState.started("saga-2", "order-2", "reserve",
        Instant.now(), Instant.now().plusSeconds(30), new JsonObject()))))).isInstanceOf(RoleFencedException.class);
    SagaStore plain = new PgSagaStore(storeB.pool());
    assertThat(Futures.await(plain.get("saga-1"))).get().extracting(SagaState::status).isEqualTo(SagaStatus.COMPLETED);
    assertThat(Futures.await(plain.get("saga-2"))).isEmpty();
    SagaStore fencedB = plain.fencedBy(rolesB.fenceKey("sweeper"), epochB::get);
    Futures.await(fencedB.save(saga.finish(SagaStatus.COMPENSATED, Instant.now())));
    assertThat(Futures.await(plain.get("saga-1"))).get().extracting(SagaState::status).isEqualTo(SagaStatus.COMPENSATED);

    Futures.await(roleB.stop());
    assertThat(runningB.get()).as("the duty stopped with the role").isZero();
    Futures.await(storeB.close());
  }

  private static LeasedRole.Duty duty(AtomicInteger running, AtomicLong epoch) {
    return new LeasedRole.Duty() {
      @Override
      public Future<Void> start(long e) {
        epoch.set(e);
        running.incrementAndGet();
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> stop() {
        running.decrementAndGet();
        return Future.succeededFuture();
      }
    };
  }
}
