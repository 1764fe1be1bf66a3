package io.herald.launcher;

import io.herald.lease.Roles;
import io.herald.lease.pg.PgRoles;
import io.herald.lease.pg.RoleHolders;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.core.spi.cluster.NodeInfo;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code cluster} readiness check: this node, the cluster's members (with the services and HTTP address each
 * announced) and, for each singleton role of the store, which node holds it now. Every node reports the same roles,
 * read from the store's lease table and PostgreSQL's advisory locks, so any node answers for the whole cluster.
 */
final class ClusterReport {

  private final ClusterManager cluster;
  private final String node;
  private final RoleHolders holders;
  private final String prefix;

  /**
   * @param cluster the cluster manager, or {@code null} when the node is not clustered
   * @param pool    the store's pool, or {@code null} without PostgreSQL
   */
  ClusterReport(ClusterManager cluster, String node, Pool pool, Roles roles) {
    this.cluster = cluster;
    this.node = node;
    this.holders = pool == null ? null : new RoleHolders(pool);
    this.prefix = roles instanceof PgRoles pg ? pg.prefix() : "";
  }

  Future<JsonObject> check() {
    JsonObject report = new JsonObject().put("node", node);
    Future<JsonArray> members = cluster == null ? Future.succeededFuture(null) : members();
    Future<JsonObject> roles = holders == null ? Future.succeededFuture(new JsonObject()) : roles();
    return Future.all(members, roles).map(done -> {
      if (members.result() != null) {
        report.put("members", members.result());
      }
      return report.put("roles", roles.result());
    });
  }

  private Future<JsonArray> members() {
    List<Future<JsonObject>> each = new ArrayList<>();
    for (String id : cluster.getNodes()) {
      Promise<NodeInfo> info = Promise.promise();
      cluster.getNodeInfo(id, info);
      each.add(info.future()
          .map(i -> member(id).put("eventBus", i.host() + ":" + i.port()).mergeIn(i.metadata() == null ? new JsonObject() : i.metadata()))
          .otherwise(err -> member(id)));
    }
    return Future.all(each).map(done -> new JsonArray(each.stream().map(Future::result).toList()));
  }

  private JsonObject member(String id) {
    return new JsonObject().put("id", id).put("self", id.equals(node));
  }

  private Future<JsonObject> roles() {
    return holders.held(prefix).map(list -> {
      JsonObject roles = new JsonObject();
      for (RoleHolders.Holder holder : list) {
        roles.put(holder.role(), new JsonObject().put("holder", holder.holder()).put("self", holder.holder().equals(node))
            .put("epoch", holder.epoch()).put("since", holder.since().toString()));
      }
      return roles;
    });
  }
}
