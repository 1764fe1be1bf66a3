package io.herald.lease.pg;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Who holds each role of a store now, as every process sharing it sees it: a {@code role_leases} row counts only
 * while its advisory lock is held, so a holder that died is not reported even before anyone took its place.
 */
public final class RoleHolders {

  /** The first key of every role lock: the two-integer form keeps it apart from the store's own single-bigint locks. */
  static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtext('herald-role'), hashtext($1))";

  private static final String HELD = "SELECT r.key, r.holder, r.epoch, r.acquired_at FROM role_leases r"
      + " WHERE starts_with(r.key, $1) AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted"
      + " AND l.objsubid = 2 AND l.classid = hashtext('herald-role')::oid AND l.objid = hashtext(r.key)::oid"
      + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()))"
      + " ORDER BY r.key";

  /**
   * One held role.
   *
   * @param role   the lease key without the prefix it was read with
   * @param holder the holder's name, as given to {@link PgRoleLease}
   * @param epoch  the fencing epoch of the holding
   * @param since  when it was acquired
   */
  public record Holder(String role, String holder, long epoch, OffsetDateTime since) {
  }

  private final SqlClient client;

  /** @param client connections whose search path is the store's schema */
  public RoleHolders(SqlClient client) {
    this.client = Objects.requireNonNull(client, "client");
  }

  /** @return the roles held now whose key starts with {@code prefix}, by key */
  public Future<List<Holder>> held(String prefix) {
    return client.preparedQuery(HELD).execute(Tuple.of(prefix)).map(rows -> {
      List<Holder> holders = new ArrayList<>(rows.size());
      for (Row row : rows) {
        holders.add(new Holder(row.getString(0).substring(prefix.length()), row.getString(1), row.getLong(2),
            row.getOffsetDateTime(3)));
      }
      return holders;
    });
  }
}
