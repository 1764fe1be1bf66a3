package io.herald.saga;

import static io.herald.testing.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.domain.BlueprintEvents;
import io.herald.store.pg.FreshSchema;
import io.herald.store.pg.PgEventStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("PostgreSQL saga store: counts by status")
class PgSagaStoreCountsIT {

  private final FreshSchema schema = new FreshSchema("saga_counts");
  private Vertx vertx;
  private PgEventStore store;
  private PgSagaStore sagas;

  @BeforeAll
  void open() {
    vertx = Vertx.vertx();
    store = schema.connect(vertx, BlueprintEvents.registry());
    sagas = new PgSagaStore(store.pool());
  }

  @AfterAll
  void close() {
    await(store.close());
    await(vertx.close());
    schema.drop();
  }

  @Test
  @DisplayName("counts follow every insert and every move between statuses, concurrent batches included, and equal a"
      + " count of the table")
  void countsFollowEveryWrite() {
    Instant now = Instant.now();
    List<SagaState> started = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String id = "saga-" + UUID.randomUUID();
      started.add(SagaState.started(id, "ord-" + id, "reserveInventory", now, now.plusSeconds(60), new JsonObject()));
    }
    // two starters' batches at once, one overlapping the other: a repeated saga is not counted twice
    await(Future.all(sagas.createAll(started.subList(0, 40)), sagas.createAll(started.subList(30, 60))));
    assertThat(await(sagas.countByStatus())).containsExactlyEntriesOf(Map.of(SagaStatus.RUNNING, 60L));

    List<Future<Void>> saves = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      SagaState saga = started.get(i);
      if (i % 3 == 0) {
        saves.add(sagas.save(saga.finish(SagaStatus.COMPLETED, now)));
      } else if (i % 3 == 1) {
        SagaState undoing = saga.compensating("card declined", now);
        saves.add(sagas.save(undoing));
        saves.add(sagas.save(undoing.finish(SagaStatus.COMPENSATED, now)));
      } else {
        saves.add(sagas.save(saga.postponed(10)));   // saved again in the same status
      }
    }
    await(Future.all(saves));

    Map<SagaStatus, Long> counted = await(sagas.countByStatus());
    assertThat(counted).containsExactlyInAnyOrderEntriesOf(
        Map.of(SagaStatus.COMPLETED, 20L, SagaStatus.COMPENSATED, 20L, SagaStatus.RUNNING, 20L));
    assertThat(counted).isEqualTo(tableCount());
  }

  @Test
  @DisplayName("saves sent without waiting, five per saga, written in concurrent batches: each saga ends at its last"
      + " state, and each save answers once its state is written")
  void lastSaveWins() {
    Instant now = Instant.now();
    List<SagaState> started = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String id = "saga-" + UUID.randomUUID();
      started.add(SagaState.started(id, "ord-" + id, "reserveInventory", now, now.plusSeconds(60), new JsonObject()));
    }
    await(sagas.createAll(started));
    List<SagaState> last = new ArrayList<>(started);
    List<Future<Void>> saves = new ArrayList<>();
    for (int round = 1; round <= 5; round++) {
      for (int i = 0; i < last.size(); i++) {
        SagaState next = last.get(i).postponed(round * 1_000L);
        last.set(i, next);
        SagaState expected = next;
        // answered only once this state (or a later one of the same saga) is stored
        saves.add(sagas.save(next).compose(v -> sagas.get(expected.id()))
            .map(stored -> {
              assertThat(stored).get().satisfies(s -> assertThat(s.deadline()).isAfterOrEqualTo(expected.deadline()));
              return null;
            }));
      }
    }
    await(Future.all(saves));

    for (SagaState saga : last) {
      assertThat(await(sagas.get(saga.id()))).get()
          .satisfies(s -> assertThat(s.deadline()).isEqualTo(saga.deadline()));
    }
    assertThat(await(sagas.countByStatus())).isEqualTo(tableCount());
  }

  private Map<SagaStatus, Long> tableCount() {
    Map<SagaStatus, Long> counts = new EnumMap<>(SagaStatus.class);
    for (Row row : await(store.pool().query("SELECT status, count(*) FROM sagas GROUP BY status").execute())) {
      for (SagaStatus status : SagaStatus.values()) {
        if (status.apiName().equals(row.getString(0))) {
          counts.put(status, row.getLong(1));
        }
      }
    }
    return counts;
  }
}
