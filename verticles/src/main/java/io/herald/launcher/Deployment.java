package io.herald.launcher;

import java.util.OptionalInt;

/**
 * A deployed service.
 *
 * @param id       the Vert.x deployment id; undeploying it stops the service and its children
 * @param httpPort the port bound when the service serves the node's HTTP endpoint
 */
public record Deployment(String id, OptionalInt httpPort) {

  public static Deployment of(String id) {
    return new Deployment(id, OptionalInt.empty());
  }
}
