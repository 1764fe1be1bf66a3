package io.herald.event;

import io.vertx.core.json.JsonObject;

/**
 * Rewrites the data of one event type from schema version {@code n} to {@code n + 1}. Upcasters are chained
 * on read, so a stored v1 event reaches the current record version through every step in order.
 */
@FunctionalInterface
public interface Upcaster {

  /**
   * @param data the event data at the older version; may be modified and returned
   * @return the data at the next version
   */
  JsonObject upcast(JsonObject data);
}
