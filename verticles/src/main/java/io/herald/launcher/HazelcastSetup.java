package io.herald.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.herald.launcher.config.ClusterConfig;

/**
 * Hazelcast's configuration, built from the {@code cluster.*} keys alone: no XML file on the classpath or system
 * property decides anything. TCP/IP join with the configured members, multicast and auto-detection off, bound to
 * {@code cluster.host} only, no phone-home, logging through SLF4J, and the maps the Vert.x cluster manager needs
 * (as its own {@code default-cluster.xml} declares them).
 */
final class HazelcastSetup {

  /**
   * A member silent this long is removed, and its event-bus registrations with it. Hazelcast's default (60 s) would
   * leave requests going to a killed node for a minute; on loopback or a LAN a few seconds is plenty.
   */
  static final int MAX_NO_HEARTBEAT_SECONDS = 5;

  private HazelcastSetup() {
  }

  static Config config(ClusterConfig cluster) {
    // read by Hazelcast's static loggers before any Config is
    System.setProperty("hazelcast.logging.type", "slf4j");
    Config hz = new Config();
    hz.setClusterName(cluster.name());
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.setProperty("hazelcast.socket.bind.any", "false");
    hz.setProperty("hazelcast.wait.seconds.before.join", "0");
    hz.setProperty("hazelcast.tcp.join.port.try.count", String.valueOf(ClusterConfig.PORT_RANGE));
    hz.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    hz.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(MAX_NO_HEARTBEAT_SECONDS));
    hz.setProperty("hazelcast.local.localAddress", cluster.host());
    NetworkConfig network = hz.getNetworkConfig();
    network.setPort(cluster.port()).setPortAutoIncrement(true).setPortCount(ClusterConfig.PORT_RANGE);
    network.getInterfaces().setEnabled(true).addInterface(cluster.host());
    network.setPublicAddress(null);
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(cluster.members());
    // what vertx-hazelcast's default-cluster.xml declares: subscriptions as sets, one backup of each map
    hz.addMultiMapConfig(new MultiMapConfig("__vertx.subs").setBackupCount(1)
        .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    hz.addMapConfig(new MapConfig("__vertx.haInfo").setBackupCount(1));
    hz.addMapConfig(new MapConfig("__vertx.nodeInfo").setBackupCount(1));
    return hz;
  }
}
