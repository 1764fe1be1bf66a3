package io.herald.projection;

import io.vertx.core.json.JsonObject;

/**
 * What a projection reports about itself.
 *
 * @param name       the projection (also its checkpoint name)
 * @param state      where it is in its lifecycle
 * @param checkpoint the last position applied
 * @param head       the store's head when the status was taken
 * @param error      the failure that stopped it, or {@code null}
 */
public record ProjectionStatus(String name, ProjectionState state, long checkpoint, long head, String error) {

  /** @return events stored but not applied yet */
  public long lag() {
    return Math.max(0, head - checkpoint);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("name", name).put("state", state.name().toLowerCase())
        .put("checkpoint", checkpoint).put("lag", lag());
    return error == null ? json : json.put("error", error);
  }
}
