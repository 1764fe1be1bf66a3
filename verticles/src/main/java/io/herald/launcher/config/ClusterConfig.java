package io.herald.launcher.config;

import io.herald.event.WireDataFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * Clustered mode ({@code cluster.*}, or {@code --cluster}): the node joins a Hazelcast cluster over TCP/IP, so
 * services on several JVMs share one event bus. Multicast is never used; everything binds to loopback unless
 * configured.
 *
 * @param enabled      {@code cluster.enabled}
 * @param members      {@code cluster.members}: where other members may listen, {@code host} or {@code host:port}
 * @param host         {@code cluster.host}: the address Hazelcast and the clustered event bus bind to and advertise
 * @param port         {@code cluster.port}: this member's Hazelcast port; the next ones are tried when it is taken
 * @param eventBusPort {@code cluster.eventBusPort}: the clustered event bus's port, 0 for any free one
 * @param name         {@code cluster.name}: only members of the same name join each other
 * @param wireData     {@code cluster.wireData}: how event data crosses nodes (json while nodes run different event versions)
 */
public record ClusterConfig(boolean enabled, List<String> members, String host, int port, int eventBusPort, String name,
                            WireDataFormat wireData) {

  public static final int DEFAULT_PORT = 5701;
  /** How many ports from a member's port on are probed when it gives none ({@code hazelcast.tcp.join.port.try.count}). */
  public static final int PORT_RANGE = 10;

  public ClusterConfig {
    members = List.copyOf(members);
  }

  static ClusterConfig read(ConfigValues values) {
    String c = "cluster.";
    List<String> members = values.list(c + "members", List.of("127.0.0.1"));
    if (members.isEmpty()) {
      throw new ConfigException("config key 'cluster.members' must name at least one member (host or host:port)");
    }
    List<String> checked = new ArrayList<>();
    for (String member : members) {
      checked.add(member(member));
    }
    String wire = values.string(c + "wireData", "binary").trim().toLowerCase(java.util.Locale.ROOT);
    WireDataFormat wireData = switch (wire) {
      case "binary" -> WireDataFormat.BINARY;
      case "json" -> WireDataFormat.JSON;
      default -> throw new ConfigException("config key 'cluster.wireData' must be one of binary, json, got '" + wire + "'");
    };
    return new ClusterConfig(
        values.bool(c + "enabled", false),
        checked,
        values.nonBlankString(c + "host", "127.0.0.1"),
        values.integer(c + "port", DEFAULT_PORT, 1, 65_535),
        values.integer(c + "eventBusPort", 0, 0, 65_535),
        values.nonBlankString(c + "name", "herald"),
        wireData);
  }

  /** {@code host} or {@code host:port}, with a port in range; IPv6 literals in brackets. */
  private static String member(String member) {
    String port = null;
    int colon = member.lastIndexOf(':');
    if (colon > 0 && (!member.startsWith("[") || member.charAt(colon - 1) == ']')) {
      port = member.substring(colon + 1);
    }
    if (port != null) {
      int value;
      try {
        value = Integer.parseInt(port);
      } catch (NumberFormatException e) {
        throw new ConfigException("config key 'cluster.members' has a member with a bad port: '" + member
            + "' (expected host or host:port)");
      }
      if (value < 1 || value > 65_535 || colon == 0) {
        throw new ConfigException("config key 'cluster.members' has a member with a bad port: '" + member
            + "' (expected host or host:port, port 1-65535)");
      }
    }
    return member;
  }

  /** Cluster mode turned on, as {@code --cluster} does. */
  public ClusterConfig enable() {
    return new ClusterConfig(true, members, host, port, eventBusPort, name, wireData);
  }
}
