package io.herald.launcher;

import io.vertx.core.Future;
import java.util.Objects;

/**
 * One entry of the {@link ServiceCatalogue}.
 *
 * @param name     the name used by {@code --services} and the {@code services} key
 * @param summary  one line for {@code --help}
 * @param deployer deploys the service's verticles
 */
public record ServiceDefinition(String name, String summary, Deployer deployer) {

  public ServiceDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(summary, "summary");
    Objects.requireNonNull(deployer, "deployer");
  }

  /** Deploys a service; the future fails when any of its verticles fails to start. */
  @FunctionalInterface
  public interface Deployer {
    Future<Deployment> deploy(NodeContext context);
  }
}
