package io.herald.launcher;

import io.herald.launcher.config.ConfigLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The launcher's flags. Each takes its value either as the next argument or after {@code =}.
 *
 * @param profiles   {@code --profile a,b}, possibly repeated; empty when not given
 * @param configFile {@code --config FILE}
 * @param services   {@code --services a,b}; overrides the {@code services} key when present
 * @param help       {@code --help} or {@code -h}
 * @param cluster    {@code --cluster}: join the cluster, as {@code cluster.enabled: true}
 */
public record CommandLine(List<String> profiles, Optional<String> configFile, Optional<List<String>> services, boolean help,
                          boolean cluster) {

  public CommandLine {
    profiles = List.copyOf(profiles);
  }

  /** Without {@code --cluster}. */
  public CommandLine(List<String> profiles, Optional<String> configFile, Optional<List<String>> services, boolean help) {
    this(profiles, configFile, services, help, false);
  }

  /** Sub-commands that herald.jar once ran and herald-bench.jar runs now: an error naming one says where it went. */
  private static final Set<String> BENCH_TOOLS = Set.of("load", "load-feeds", "load-reservations", "bench");

  /** @throws UsageException naming the unknown option, the missing value or the stray argument */
  public static CommandLine parse(String... args) {
    List<String> profiles = new ArrayList<>();
    String configFile = null;
    List<String> services = null;
    boolean help = false;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      switch (name) {
        case "--help", "-h" -> {
          if (value != null) {
            throw new UsageException("option '" + name + "' takes no value");
          }
          help = true;
        }
        case "--cluster" -> {
          if (value != null) {
            throw new UsageException("option '--cluster' takes no value (cluster settings are the cluster.* config keys)");
          }
          cluster = true;
        }
        case "--profile" -> {
          if (value == null) {
            value = OptionValues.next(args, ++i, name);
          }
          profiles.addAll(OptionValues.list(value, name));
        }
        case "--config" -> {
          if (configFile != null) {
            throw new UsageException("option '--config' given twice");
          }
          configFile = value == null ? OptionValues.next(args, ++i, name) : value;
          if (configFile.isBlank()) {
            throw new UsageException("option '--config' needs a file");
          }
        }
        case "--services" -> {
          if (value == null) {
            value = OptionValues.next(args, ++i, name);
          }
          if (services == null) {
            services = new ArrayList<>();
          }
          services.addAll(OptionValues.list(value, name));
        }
        default -> throw new UsageException(arg.startsWith("-")
            ? "unknown option '" + name + "'"
            : "unexpected argument '" + arg + "'" + (BENCH_TOOLS.contains(arg) ? benchHint(arg) : ""));
      }
    }
    return new CommandLine(profiles, Optional.ofNullable(configFile),
        Optional.ofNullable(services).map(s -> s.stream().distinct().toList()), help, cluster);
  }

  private static String benchHint(String tool) {
    return " (the load and benchmark tools are in herald-bench.jar: java -jar bench/target/herald-bench.jar "
        + (tool.equals("bench") ? "publish" : tool) + " --help)";
  }

  /** @return the help text, listing the catalogue's services */
  public static String usage(ServiceCatalogue catalogue) {
    StringBuilder services = new StringBuilder();
    for (ServiceDefinition service : catalogue.all()) {
      services.append(String.format("  %-12s %s%n", service.name(), service.summary()));
    }
    return """
        Usage: java -jar herald.jar [--profile NAME[,NAME...]] [--config FILE] [--services NAME[,NAME...]] [--cluster] [--help]
               java -jar herald.jar token --scopes read,write[,admin] [--ttl 1h] [--profile ...] [--config FILE]

        Starts a Herald node. With no options every service runs in this process and events stay in memory.
        The load and benchmark tools (load, load-feeds, load-reservations, publish) are in bench/target/herald-bench.jar.

        Options:
          --profile a,b   layer config/a.yaml, then config/b.yaml, over config/default.yaml
                          (default: the %s environment variable)
          --config FILE   layer one more YAML file over the profiles
          --services a,b  deploy only these services (default: the 'services' key, which is 'all')
          --cluster       join a Hazelcast cluster (the cluster.* keys) so services on several JVMs share one event
                          bus; needs --profile postgres and a broker (kafka, rabbitmq, redis or nats)
          -h, --help      print this help and exit

        Services:
        %s
        Every key of config/default.yaml can also be set by an environment variable (http.port: HERALD_HTTP_PORT)
        or a system property (java -Dherald.http.port=9090 -jar herald.jar); they override the files in that order.
        Every node serves /health/live, /health/ready and /metrics on its HTTP port.
        Every API call, feed and the event-bus bridge need a bearer token (auth.* keys): the token command mints
        one from auth.secret (see 'token --help'); with no key configured, the banner prints a development token.

        Exit status: 0 after a normal stop (SIGTERM, SIGINT), 1 when the configuration or startup fails,
        2 for a command-line error.
        """.formatted(ConfigLoader.PROFILE_VARIABLE, services.toString().stripTrailing());
  }
}
