package io.herald.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * One readiness probe. It succeeds, optionally with details shown next to its status, when the component
 * is ready; it fails with a short reason when it is not. It must not block: it runs on an event loop.
 */
@FunctionalInterface
public interface HealthCheck {

  /** @return details to report (may be empty), or a failure whose message is the reason */
  Future<JsonObject> check();
}
