package io.herald.launcher;

import io.herald.gateway.auth.AuthOptions;
import io.herald.gateway.auth.Scope;
import io.herald.gateway.auth.Tokens;
import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.LoadedConfig;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar herald.jar token --scopes read,write [--ttl 1h]}: prints a token signed with the configured key
 * ({@code auth.secret}), read from the same layers as a node's (profiles, {@code --config}, environment, system
 * properties), so it works against every node that shares that key.
 *
 * @param scopes     what the token grants
 * @param ttlSeconds how long it is valid
 * @param profiles   {@code --profile a,b}
 * @param configFile {@code --config FILE}
 * @param help       {@code --help}
 */
record TokenCommand(Set<Scope> scopes, long ttlSeconds, List<String> profiles, Optional<String> configFile, boolean help) {

  static final String NAME = "token";
  static final long DEFAULT_TTL_SECONDS = 3_600;
  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})\\s*([smhd]?)");

  /** @throws UsageException naming the unknown option, the bad scope or the bad duration */
  static TokenCommand parse(String... args) {
    Set<Scope> scopes = null;
    Long ttl = null;
    List<String> profiles = new ArrayList<>();
    String configFile = null;
    boolean help = false;
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
        case "--help", "-h" -> help = true;
        case "--scopes" -> {
          value = value == null ? OptionValues.next(args, ++i, name) : value;
          try {
            scopes = Scope.parseList(value);
          } catch (IllegalArgumentException e) {
            throw new UsageException("option '--scopes': " + e.getMessage());
          }
        }
        case "--ttl" -> ttl = duration(value == null ? OptionValues.next(args, ++i, name) : value);
        case "--profile" -> profiles.addAll(OptionValues.list(value == null ? OptionValues.next(args, ++i, name) : value, name));
        case "--config" -> configFile = value == null ? OptionValues.next(args, ++i, name) : value;
        default -> throw new UsageException(arg.startsWith("-") ? "unknown option '" + name + "'" : "unexpected argument '" + arg + "'");
      }
    }
    if (!help && scopes == null) {
      throw new UsageException("option '--scopes' is required (known scopes: read, write, admin)");
    }
    return new TokenCommand(scopes == null ? Set.of() : scopes, ttl == null ? DEFAULT_TTL_SECONDS : ttl, profiles,
        Optional.ofNullable(configFile), help);
  }

  /** {@code 90}, {@code 90s}, {@code 30m}, {@code 1h}, {@code 7d}: seconds, from one second to a year. */
  static long duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new UsageException("option '--ttl': '" + text + "' is not a duration (90s, 30m, 1h, 7d)");
    }
    long amount = Long.parseLong(m.group(1));
    long seconds = switch (m.group(2)) {
      case "m" -> TimeUnit.MINUTES.toSeconds(amount);
      case "h" -> TimeUnit.HOURS.toSeconds(amount);
      case "d" -> TimeUnit.DAYS.toSeconds(amount);
      default -> amount;
    };
    if (seconds < 1 || seconds > TimeUnit.DAYS.toSeconds(365)) {
      throw new UsageException("option '--ttl': must be between 1s and 365d, got '" + text + "'");
    }
    return seconds;
  }

  static String usage() {
    return """
        Usage: java -jar herald.jar token --scopes SCOPE[,SCOPE...] [--ttl DURATION] [--profile NAME[,NAME...]] [--config FILE]

        Prints a bearer token signed with the configured key (auth.secret, e.g. HERALD_AUTH_SECRET), valid on every
        node configured with the same key, issuer and audience. A node with no key configured makes its own
        development key and prints a token with every scope in its banner instead.

        Options:
          --scopes a,b    what the token grants: read (queries, feeds), write (commands), admin (dead letters,
                          projections, breakers, readiness detail)
          --ttl DURATION  how long it is valid: 90s, 30m, 1h, 7d (default: 1h)
          --profile a,b   the config profiles to read the key from, as for a node
          --config FILE   one more YAML file layered over the profiles
          -h, --help      print this help and exit

        Exit status: 0 with the token on stdout, 1 when no key that signs is configured, 2 for a command-line error.
        """;
  }

  /**
   * Reads the configuration and mints the token.
   *
   * @throws ConfigException when the configuration is unusable or holds no key that signs
   */
  String mint(Map<String, String> env, Map<String, String> systemProperties) {
    LoadedConfig loaded = HeraldLauncher.loadConfig(new CommandLine(profiles, configFile, Optional.empty(), false), env,
        systemProperties);
    AuthOptions auth = loaded.typed().auth();
    if (auth.secret().isEmpty()) {
      throw new ConfigException(auth.hasKey()
          ? "the configured keys (auth.publicKeys, auth.jwksFile) only check tokens; minting one needs auth.secret"
          : "no key configured to sign tokens: set auth.secret (HERALD_AUTH_SECRET, at least "
              + AuthOptions.MIN_SECRET_LENGTH + " characters) here and on the nodes; a node without any key prints "
              + "a development token in its banner");
    }
    Vertx vertx = Vertx.vertx();
    try {
      Tokens tokens = Tokens.load(vertx, auth).await(30, TimeUnit.SECONDS);
      return tokens.mint(scopes, ttlSeconds, "herald-cli");
    } catch (Exception e) {
      throw new ConfigException("cannot mint a token: " + HeraldNode.oneLine(e));
    } finally {
      vertx.close();
    }
  }
}
