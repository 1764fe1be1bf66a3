package io.herald.launcher;

import io.herald.launcher.config.BrokerType;
import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.HeraldConfig;
import io.herald.launcher.config.StoreType;

/**
 * What clustered mode refuses before anything binds: state that lives in one process cannot be shared by nodes.
 * The in-memory store keeps events, read models and sagas in this JVM only. The event-bus broker confirms a publish
 * once this node queued it and delivers each event once per node rather than once per group across the cluster, so
 * groups would see events twice or lose them with a node; a broker with durable consumer groups does that job.
 */
final class ClusterRequirements {

  private ClusterRequirements() {
  }

  /** @throws ConfigException naming what to change, when clustered mode is on and the store or broker cannot be shared */
  static void check(HeraldConfig config) {
    if (!config.cluster().enabled()) {
      return;
    }
    if (config.store().type() == StoreType.MEMORY) {
      throw new ConfigException("clustered mode needs --profile postgres: the memory store keeps events, read models"
          + " and sagas inside one process, where the other nodes cannot see them (store.type is memory)");
    }
    if (config.broker().type() == BrokerType.EVENTBUS) {
      throw new ConfigException("clustered mode needs a broker with consumer groups shared by every node: use --profile"
          + " kafka, rabbitmq, redis or nats (broker.type is eventbus, which delivers each event once per node and keeps"
          + " nothing when a node dies)");
    }
  }
}
