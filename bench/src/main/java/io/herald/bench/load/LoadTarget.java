package io.herald.bench.load;

import io.herald.launcher.CommandLine;
import io.herald.launcher.HeraldLauncher;
import io.herald.launcher.HeraldNode;
import io.herald.launcher.ServiceCatalogue;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The node a load run drives: one started in this process with the usual configuration layers (on a free port),
 * or one already running at a URL.
 */
final class LoadTarget implements AutoCloseable {

  /** How long the token of an in-process node is valid: longer than any run. */
  static final long TOKEN_TTL_SECONDS = 7 * 86_400;

  private final URI base;
  private final String label;
  private final HeraldNode node;
  private final String token;

  private LoadTarget(URI base, String label, HeraldNode node, String token) {
    this.base = base;
    this.label = label;
    this.node = node;
    this.token = token;
  }

  /**
   * Starts a node in this process like {@code java -jar herald.jar --profile ...} would, on a free port so it never
   * clashes with a running node (a fixed port, so every gateway instance shares it). Blocks the calling (non Vert.x)
   * thread.
   *
   * @throws io.herald.launcher.config.ConfigException  when the configuration is unusable
   * @throws io.herald.launcher.StartupException         when the node cannot start
   */
  static LoadTarget start(LoadOptions options, Map<String, String> env, Map<String, String> systemProperties) {
    Map<String, String> properties = new HashMap<>(systemProperties);
    properties.put("herald.http.port", String.valueOf(freePort()));
    CommandLine cli = new CommandLine(options.profiles(), options.configFile(), Optional.empty(), false);
    HeraldNode node = HeraldLauncher.start(cli, ServiceCatalogue.standard(), env, properties);
    String label = "in-process node (" + node.config().mode() + ", profiles " + String.join(", ", node.configLayers()) + ")";
    // minted from the node's own key (its development key, or auth.secret of the same configuration)
    return new LoadTarget(URI.create(node.baseUrl()), label, node, node.tokenWithEveryScope(TOKEN_TTL_SECONDS).orElse(null));
  }

  private static int freePort() {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("no free port for the node", e);
    }
  }

  /** The node at {@code url}, which this run neither starts nor stops, called with {@code token} ({@code --token}). */
  static LoadTarget remote(URI url, String token) {
    return new LoadTarget(url, "node at " + url, null, token);
  }

  /** @return the bearer token of every call; {@code null} when the node needs none */
  String token() {
    return token;
  }

  URI base() {
    return base;
  }

  String label() {
    return label;
  }

  /** Stops the in-process node, waiting for its orderly shutdown; nothing for a remote one. */
  @Override
  public void close() {
    if (node == null) {
      return;
    }
    try {
      node.stop().await(node.config().shutdownTimeoutMs() + 5_000, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // the process is about to exit; the node's resources go with it
    }
  }
}
