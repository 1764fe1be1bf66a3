package io.herald.lease.pg;

import io.herald.lease.RoleLease;
import io.herald.lease.Roles;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Objects;

/**
 * Role leases of one PostgreSQL store: key {@code <schema>/<role>}, held by a {@link PgRoleLease} each.
 *
 * @param holder who this process is, as {@link RoleHolders} reports it
 */
public record PgRoles(Vertx vertx, PgConnectOptions connectOptions, String schema, String holder, long retryMs,
                      long checkMs) implements Roles {

  public PgRoles {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(connectOptions, "connectOptions");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(holder, "holder");
  }

  @Override
  public RoleLease lease(String role) {
    return new PgRoleLease(vertx, connectOptions, fenceKey(role), holder, retryMs, checkMs);
  }

  @Override
  public String fenceKey(String role) {
    return prefix() + role;
  }

  /** @return what every key of this store's roles starts with, for {@link RoleHolders#held} */
  public String prefix() {
    return schema + "/";
  }
}
