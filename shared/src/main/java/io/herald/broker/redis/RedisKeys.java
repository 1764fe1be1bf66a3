package io.herald.broker.redis;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of everything the adapter keeps in Redis, all under one namespace:
 * <ul>
 *   <li>{@code <ns>.<aggregatetype>}: the stream of one aggregate type ({@code events.order});</li>
 *   <li>{@code <ns>.streams}: a set of the aggregate types published so far, so that groups find new streams;</li>
 *   <li>{@code <ns>.groups}: a hash, group name to the Redis time (ms) the group was first subscribed;</li>
 *   <li>{@code <ns>.<group>}: the Redis consumer group of a Herald group, on every stream;</li>
 *   <li>{@code <ns>.lease.<group>}: which member of a group is the active one;</li>
 *   <li>{@code <ns>.dead.<group>}: the group's dead letters, a stream.</li>
 * </ul>
 * The aggregate types {@code streams} and {@code groups} would collide with the first two keys and are refused.
 */
final class RedisKeys {

  static final String REGISTRY = "streams";
  static final String GROUPS = "groups";

  private final String namespace;
  private final Map<String, String> streams = new ConcurrentHashMap<>();

  RedisKeys(String namespace) {
    this.namespace = Objects.requireNonNull(namespace, "namespace");
  }

  String namespace() {
    return namespace;
  }

  String stream(String aggregateType) {
    return streams.computeIfAbsent(aggregateType, type -> namespace + "." + type);
  }

  /** @return the aggregate type of a stream key this namespace created */
  String aggregateType(String streamKey) {
    return streamKey.substring(namespace.length() + 1);
  }

  String registry() {
    return namespace + "." + REGISTRY;
  }

  String groups() {
    return namespace + "." + GROUPS;
  }

  String group(String group) {
    return namespace + "." + group;
  }

  String lease(String group) {
    return namespace + ".lease." + group;
  }

  String deadLetters(String group) {
    return namespace + ".dead." + group;
  }

  static boolean reservedAggregateType(String aggregateType) {
    return REGISTRY.equals(aggregateType) || GROUPS.equals(aggregateType);
  }
}
