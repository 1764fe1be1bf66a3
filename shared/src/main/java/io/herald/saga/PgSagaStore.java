package io.herald.saga;

import io.herald.lease.RoleFencedException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Sagas in the store's PostgreSQL schema ({@code sagas}, created by the store's migrations): one row per saga,
 * the whole state as jsonb beside the columns that are queried (order id, status).
 *
 * <p>A store {@linkplain #fencedBy fenced} by a role lease writes only while the lease's epoch in {@code role_leases}
 * is the one it carries, checked in the writing statement itself: a process that lost the saga role cannot write a
 * saga any more, even before it noticed.
 */
public final class PgSagaStore implements SagaStore {

  // the rows are written only while the role's epoch is still the writer's
  private static final String FENCE = " WHERE EXISTS (SELECT 1 FROM role_leases WHERE key = $5 AND epoch = $6)";

  private final Pool pool;
  private final String fenceKey;
  private final LongSupplier epoch;
  private Map<String, SagaState> latest = new LinkedHashMap<>();
  private Map<String, List<Promise<Void>>> pending = new HashMap<>();
  private boolean flushing;

  /** @param pool connections whose search path is the store's schema ({@code PgEventStore.pool()}) */
  public PgSagaStore(Pool pool) {
    this(pool, null, () -> 0);
  }

  private PgSagaStore(Pool pool, String fenceKey, LongSupplier epoch) {
    this.pool = Objects.requireNonNull(pool, "pool");
    this.fenceKey = fenceKey;
    this.epoch = epoch;
  }

  /** A store on the same table whose writes fail with {@link RoleFencedException} once {@code epoch} is not the role's. */
  @Override
  public SagaStore fencedBy(String fenceKey, LongSupplier epoch) {
    return fenceKey == null ? this : new PgSagaStore(pool, fenceKey, Objects.requireNonNull(epoch, "epoch"));
  }

  private String fence() {
    return fenceKey == null ? "" : FENCE;
  }

  private Tuple withFence(Tuple tuple, long mine) {
    return fenceKey == null ? tuple : tuple.addString(fenceKey).addLong(mine);
  }

  // a fenced write that wrote nothing was refused, unless it had nothing to write
  private Future<Void> checkFence(long mine, int written) {
    if (fenceKey == null || written > 0) {
      return Future.succeededFuture();
    }
    return pool.preparedQuery("SELECT 1 FROM role_leases WHERE key = $1 AND epoch = $2").execute(Tuple.of(fenceKey, mine))
        .compose(rows -> rows.size() == 1 ? Future.succeededFuture() : Future.failedFuture(new RoleFencedException(fenceKey, mine)));
  }

  @Override
  public Future<List<SagaState>> createAll(List<SagaState> sagas) {
    if (sagas.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    // one statement for the batch; RETURNING names the rows that were new
    String[] ids = sagas.stream().map(SagaState::id).toArray(String[]::new);
    String[] orders = sagas.stream().map(SagaState::orderId).toArray(String[]::new);
    String[] statuses = sagas.stream().map(s -> s.status().apiName()).toArray(String[]::new);
    String[] states = sagas.stream().map(s -> s.toJson().encode()).toArray(String[]::new);
    long mine = epoch.getAsLong();
    return pool.preparedQuery("INSERT INTO sagas (id, order_id, status, state, updated_at)"
            + " SELECT i, o, s, st::jsonb, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(i, o, s, st)"
            + fence() + " ON CONFLICT (id) DO NOTHING RETURNING id")
        .execute(withFence(Tuple.of(ids, orders, statuses, states), mine))
        .compose(inserted -> checkFence(mine, inserted.rowCount()).map(inserted))
        .map(inserted -> {
          Set<String> fresh = new HashSet<>();
          inserted.forEach(r -> fresh.add(r.getString(0)));
          return sagas.stream().filter(s -> fresh.contains(s.id())).toList();
        });
  }

  /**
   * Saves that arrive while a batch is being written share the next statement and commit: under load, hundreds
   * of sagas moving at once cost a few commits, not hundreds.
   */
  @Override
  public Future<Void> save(SagaState saga) {
    Promise<Void> saved = Promise.promise();
    synchronized (this) {
      pending.computeIfAbsent(saga.id(), id -> new ArrayList<>()).add(saved);
      latest.put(saga.id(), saga);
      if (flushing) {
        return saved.future();
      }
      flushing = true;
    }
    flush();
    return saved.future();
  }

  private void flush() {
    Map<String, SagaState> batch;
    Map<String, List<Promise<Void>>> waiting;
    synchronized (this) {
      if (latest.isEmpty()) {
        flushing = false;
        return;
      }
      batch = latest;
      waiting = pending;
      latest = new LinkedHashMap<>();
      pending = new HashMap<>();
    }
    String[] ids = batch.keySet().toArray(String[]::new);
    String[] orders = batch.values().stream().map(SagaState::orderId).toArray(String[]::new);
    String[] statuses = batch.values().stream().map(s -> s.status().apiName()).toArray(String[]::new);
    String[] states = batch.values().stream().map(s -> s.toJson().encode()).toArray(String[]::new);
    long mine = epoch.getAsLong();
    pool.preparedQuery("INSERT INTO sagas (id, order_id, status, state, updated_at)"
            + " SELECT i, o, s, st::jsonb, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(i, o, s, st)"
            + fence() + " ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, state = EXCLUDED.state, updated_at = now()")
        .execute(withFence(Tuple.of(ids, orders, statuses, states), mine))
        .compose(rows -> checkFence(mine, rows.rowCount()))
        .onComplete(ar -> {
          waiting.values().forEach(list -> list.forEach(p -> {
            if (ar.succeeded()) {
              p.complete();
            } else {
              p.fail(ar.cause());
            }
          }));
          flush();
        });
  }

  @Override
  public Future<Optional<SagaState>> get(String id) {
    return pool.preparedQuery("SELECT state FROM sagas WHERE id = $1").execute(Tuple.of(id))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
  }

  @Override
  public Future<List<SagaState>> find(String orderId, SagaStatus status, int limit) {
    return pool.preparedQuery("SELECT state FROM sagas WHERE ($1::text IS NULL OR order_id = $1)"
            + " AND ($2::text IS NULL OR status = $2) ORDER BY created_at, id LIMIT $3")
        .execute(Tuple.of(orderId, status == null ? null : status.apiName(), limit))
        .map(PgSagaStore::all);
  }

  @Override
  public Future<java.util.Map<SagaStatus, Long>> countByStatus() {
    // kept by the sagas table's triggers as sagas are written (V13): a few rows, however many sagas there are
    return pool.query("SELECT status, sagas FROM saga_status_counts WHERE sagas > 0").execute().map(rows -> {
      java.util.Map<SagaStatus, Long> counts = new java.util.EnumMap<>(SagaStatus.class);
      for (io.vertx.sqlclient.Row row : rows) {
        for (SagaStatus status : SagaStatus.values()) {
          if (status.apiName().equals(row.getString(0))) {
            counts.put(status, row.getLong(1));
          }
        }
      }
      return counts;
    });
  }

  @Override
  public Future<List<SagaState>> unfinished() {
    return pool.preparedQuery("SELECT state FROM sagas WHERE status IN ('running', 'compensating') ORDER BY created_at, id")
        .execute()
        .map(PgSagaStore::all);
  }

  private static SagaState read(Row row) {
    return SagaState.fromJson(row.getJsonObject(0));
  }

  private static List<SagaState> all(RowSet<Row> rows) {
    List<SagaState> sagas = new ArrayList<>(rows.size());
    rows.forEach(r -> sagas.add(read(r)));
    return sagas;
  }
}
