package io.herald.launcher;

import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.ConfigLoader;
import io.herald.launcher.config.HeraldConfig;
import io.herald.launcher.config.LoadedConfig;
import io.herald.launcher.config.ServiceSelection;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * {@code java -jar herald.jar}: reads the configuration, starts a {@link HeraldNode}, prints the banner and
 * stops the node in order on SIGTERM or SIGINT, exiting with 0.
 *
 * <p>Errors the user can fix (command line, configuration, unreachable store) are printed as one line on
 * stderr, prefixed with {@code herald: }; the exit status is 2 for the command line and 1 otherwise.
 */
public final class HeraldLauncher {

  private static final Logger log = LoggerFactory.getLogger(HeraldLauncher.class);

  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;
  private static final long CONFIG_TIMEOUT_S = 30;

  private HeraldLauncher() {
  }

  public static void main(String[] args) {
    if (args.length > 0 && TokenCommand.NAME.equals(args[0])) {
      System.exit(token(java.util.Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    ServiceCatalogue catalogue = ServiceCatalogue.standard();
    CommandLine cli;
    try {
      cli = CommandLine.parse(args);
    } catch (UsageException e) {
      System.err.println("herald: " + e.getMessage());
      System.err.println();
      System.err.print(CommandLine.usage(catalogue));
      System.exit(EXIT_USAGE);
      return;
    }
    if (cli.help()) {
      System.out.print(CommandLine.usage(catalogue));
      System.exit(0);
      return;
    }
    HeraldNode node;
    try {
      node = start(cli, catalogue, System.getenv(), ConfigLoader.systemProperties());
    } catch (ConfigException | StartupException e) {
      exitWith(EXIT_FAILURE, e.getMessage(), null);
      return;
    } catch (RuntimeException e) {
      exitWith(EXIT_FAILURE, "startup failed: " + HeraldNode.oneLine(e), e);
      return;
    }
    installShutdown(node);
    log.info(node.banner());
  }

  /**
   * Loads the configuration and starts a node, blocking the calling (non Vert.x) thread until it runs. The load
   * tools of {@code herald-bench.jar} start their in-process node through here too.
   *
   * @throws ConfigException  when the configuration is unusable
   * @throws StartupException when the node cannot start
   */
  public static HeraldNode start(CommandLine cli, ServiceCatalogue catalogue, Map<String, String> env, Map<String, String> systemProperties) {
    LoadedConfig loaded = loadConfig(cli, env, systemProperties);
    HeraldConfig config = loaded.typed();
    if (cli.services().isPresent()) {
      config = config.withServices(ServiceSelection.of(cli.services().get()));
    }
    if (cli.cluster()) {
      config = config.withCluster(config.cluster().enable());
    }
    ClusterRequirements.check(config);
    catalogue.select(config.services());
    LogSetup.apply(config.log().format());
    if (!loaded.overrides().isEmpty()) {
      log.info("Config overrides: {}", String.join(", ", loaded.overrides()));
    }
    List<String> layers = new ArrayList<>(loaded.layers());
    loaded.configFile().ifPresent(layers::add);
    return HeraldNode.start(config, layers, catalogue).await();
  }

  /** {@code herald.jar token ...}: prints one token on stdout; @return the exit status */
  static int token(String[] args) {
    TokenCommand command;
    try {
      command = TokenCommand.parse(args);
    } catch (UsageException e) {
      System.err.println("herald: " + e.getMessage());
      System.err.println();
      System.err.print(TokenCommand.usage());
      return EXIT_USAGE;
    }
    if (command.help()) {
      System.out.print(TokenCommand.usage());
      return 0;
    }
    try {
      System.out.println(command.mint(System.getenv(), ConfigLoader.systemProperties()));
      return 0;
    } catch (ConfigException e) {
      System.err.println("herald: " + e.getMessage());
      return EXIT_FAILURE;
    }
  }

  /** Reads the layers with a short-lived Vert.x instance: the node's own is built from the result. */
  static LoadedConfig loadConfig(CommandLine cli, Map<String, String> env, Map<String, String> systemProperties) {
    Vertx bootstrap = Vertx.vertx();
    try {
      return new ConfigLoader(bootstrap, env, systemProperties)
          .load(cli.profiles(), cli.configFile().orElse(null))
          .await(CONFIG_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new ConfigException("reading the configuration took more than " + CONFIG_TIMEOUT_S + " s");
    } finally {
      try {
        bootstrap.close().await(5, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        log.debug("The bootstrap Vert.x instance did not close within 5 s");
      }
    }
  }

  /**
   * SIGTERM and SIGINT stop the node in order and exit with 0 (the JVM's default would be 143 or 130).
   * A second signal during the shutdown halts at once. The shutdown hook covers other exits.
   */
  private static void installShutdown(HeraldNode node) {
    long budgetMs = node.config().shutdownTimeoutMs() + 5_000;
    AtomicBoolean stopping = new AtomicBoolean();
    for (String name : List.of("TERM", "INT")) {
      try {
        Signal.handle(new Signal(name), signal -> {
          if (!stopping.compareAndSet(false, true)) {
            log.warn("SIG{} again: exiting without waiting", signal.getName());
            Runtime.getRuntime().halt(EXIT_FAILURE);
          }
          // not on the signal dispatcher thread, so a second signal is still delivered
          new Thread(() -> stopAndExit(node, signal.getName(), budgetMs), "herald-shutdown").start();
        });
      } catch (IllegalArgumentException e) {
        // SIGINT is ignored for background jobs of a non-interactive shell, and the JVM then refuses a handler
        log.debug("SIG{} cannot be handled here: {}", name, e.getMessage());
      }
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        node.stop().await(budgetMs, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        // the JVM is exiting anyway; nothing else to release
      }
    }, "herald-shutdown-hook"));
  }

  private static void stopAndExit(HeraldNode node, String signal, long budgetMs) {
    log.info("SIG{} received: shutting down", signal);
    int status = 0;
    try {
      node.stop().await(budgetMs, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.error("Shutdown did not complete within {} ms: {}", budgetMs, HeraldNode.oneLine(e));
      status = EXIT_FAILURE;
    }
    System.exit(status);
  }

  private static void exitWith(int status, String message, Throwable unexpected) {
    if (unexpected != null) {
      log.error("Startup failed", unexpected);
    }
    System.err.println("herald: " + message);
    System.exit(status);
  }
}
