package io.herald.bench.load;

import io.herald.launcher.OptionValues;
import io.herald.launcher.UsageException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The flags of {@code java -jar herald-bench.jar load}. Like the node's own flags, each takes its value either as the next
 * argument or after {@code =}.
 *
 * @param profiles    {@code --profile a,b} for the in-process node, possibly repeated
 * @param configFile  {@code --config FILE} for the in-process node
 * @param url         {@code --url http://host:port}: drive that running node instead of starting one
 * @param token       {@code --token JWT}: the bearer token sent to the node at {@code --url} (scopes read, write and,
 *                    with {@code --rebuild}, admin); an in-process node's token is minted from its own key
 * @param orders      {@code --orders N}: orders to place
 * @param concurrency {@code --concurrency N}: orders in flight at once, and the HTTP connection pool's size
 * @param users       {@code --users N}: users registered first; each order belongs to one of them at random
 * @param rate        {@code --rate R}: orders per second, sent on a fixed schedule; 0 sends as fast as the
 *                    concurrency allows
 * @param skus        {@code --skus N}: SKUs the orders' items are drawn from (1: a flash sale on one hot SKU)
 * @param rebuild     {@code --rebuild}: afterwards, rebuild the orders projection and time the replay
 * @param sampleSeconds   {@code --sample-seconds S}: while the orders are placed, print a {@code SAMPLE} line every
 *                        S seconds and a {@code SOAK} summary at the end; 0 (the default) prints none
 * @param durationMinutes {@code --duration-minutes M} with {@code --rate R}: {@code orders} is 60 × R × M; 0 when
 *                        the orders were counted ({@code --orders} or its default)
 * @param help        {@code --help} or {@code -h}
 */
public record LoadOptions(List<String> profiles, Optional<String> configFile, Optional<URI> url, Optional<String> token, int orders,
                          int concurrency, int users, double rate, int skus, boolean rebuild, int sampleSeconds,
                          double durationMinutes, boolean help) {

  public static final int DEFAULT_ORDERS = 10_000;
  public static final int DEFAULT_CONCURRENCY = 64;
  public static final int DEFAULT_USERS = 100;
  static final int MAX_ORDERS = 10_000_000;
  static final int MAX_CONCURRENCY = 4_096;
  static final int MAX_USERS = 100_000;
  public static final int DEFAULT_SKUS = 50;
  static final int MAX_SKUS = 100_000;
  static final int MAX_SAMPLE_SECONDS = 3_600;
  static final int MAX_DURATION_MINUTES = 1_440;

  public LoadOptions {
    profiles = List.copyOf(profiles);
  }

  /** @return the options of a plain {@code load}: every default, an in-process node */
  public static LoadOptions defaults() {
    return parse();
  }

  /** @return whether orders are sent on a fixed schedule ({@code --rate}) rather than as fast as possible */
  public boolean paced() {
    return rate > 0;
  }

  /** @return whether {@code SAMPLE} lines are printed during the order phase */
  public boolean sampled() {
    return sampleSeconds > 0;
  }

  /** @throws UsageException naming the unknown option, the missing or bad value, or the stray argument */
  public static LoadOptions parse(String... args) {
    List<String> profiles = new ArrayList<>();
    String configFile = null;
    URI url = null;
    String token = null;
    Integer orders = null;
    Integer concurrency = null;
    Integer users = null;
    Double rate = null;
    Integer skus = null;
    Integer sampleSeconds = null;
    Double durationMinutes = null;
    boolean rebuild = false;
    boolean help = false;
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (arg.startsWith("--") && eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      boolean flag = name.equals("--help") || name.equals("-h") || name.equals("--rebuild");
      if (flag && value != null) {
        throw new UsageException("option '" + name + "' takes no value");
      }
      if (!flag && isOption(name) && value == null) {
        value = OptionValues.next(args, ++i, name);
      }
      if (!name.equals("--profile") && isOption(name) && !seen.add(name)) {
        throw new UsageException("option '" + name + "' given twice");
      }
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--rebuild" -> rebuild = true;
        case "--profile" -> profiles.addAll(OptionValues.list(value, name));
        case "--config" -> {
          if (value.isBlank()) {
            throw new UsageException("option '--config' needs a file");
          }
          configFile = value;
        }
        case "--url" -> url = url(value);
        case "--token" -> {
          if (value.isBlank()) {
            throw new UsageException("option '--token' needs a token");
          }
          token = value.trim();
        }
        case "--orders" -> orders = whole(name, value, MAX_ORDERS);
        case "--concurrency" -> concurrency = whole(name, value, MAX_CONCURRENCY);
        case "--users" -> users = whole(name, value, MAX_USERS);
        case "--rate" -> rate = rate(value);
        case "--skus" -> skus = whole(name, value, MAX_SKUS);
        case "--sample-seconds" -> sampleSeconds = sampleSeconds(value);
        case "--duration-minutes" -> durationMinutes = durationMinutes(value);
        default -> throw new UsageException(arg.startsWith("-")
            ? "unknown option '" + name + "'"
            : "unexpected argument '" + arg + "'");
      }
    }
    if (url != null && !profiles.isEmpty()) {
      throw new UsageException("option '--url' cannot be combined with '--profile': the node at the URL has its own configuration");
    }
    if (url != null && configFile != null) {
      throw new UsageException("option '--url' cannot be combined with '--config': the node at the URL has its own configuration");
    }
    if (token != null && url == null) {
      throw new UsageException("option '--token' goes with '--url': the in-process node's token is minted from its own key");
    }
    if (durationMinutes != null) {
      orders = ordersFor(durationMinutes, orders, rate);
    }
    return new LoadOptions(profiles, Optional.ofNullable(configFile), Optional.ofNullable(url), Optional.ofNullable(token),
        orders == null ? DEFAULT_ORDERS : orders,
        concurrency == null ? DEFAULT_CONCURRENCY : concurrency,
        users == null ? DEFAULT_USERS : users,
        rate == null ? 0 : rate, skus == null ? DEFAULT_SKUS : skus, rebuild,
        sampleSeconds == null ? 0 : sampleSeconds, durationMinutes == null ? 0 : durationMinutes, help);
  }

  /** A run given by its length: the orders a fixed rate sends in that time. */
  private static int ordersFor(double minutes, Integer orders, Double rate) {
    if (orders != null) {
      throw new UsageException("option '--duration-minutes' cannot be combined with '--orders': it places 60 * rate * minutes orders");
    }
    if (rate == null) {
      throw new UsageException("option '--duration-minutes' needs '--rate': it places 60 * rate * minutes orders");
    }
    long count = Math.round(rate * 60 * minutes);
    if (count < 1 || count > MAX_ORDERS) {
      throw new UsageException("options '--rate' and '--duration-minutes' make " + count + " orders; they must make 1 to "
          + MAX_ORDERS);
    }
    return (int) count;
  }

  private static boolean isOption(String name) {
    return switch (name) {
      case "--profile", "--config", "--url", "--token", "--orders", "--concurrency", "--users", "--rate", "--skus",
           "--sample-seconds", "--duration-minutes" -> true;
      default -> name.equals("--help") || name.equals("-h") || name.equals("--rebuild");
    };
  }

  private static int whole(String option, String value, int max) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("option '" + option + "' needs a whole number from 1 to " + max + ", got '" + value + "'");
  }

  private static double rate(String value) {
    try {
      double r = Double.parseDouble(value.trim());
      if (r > 0 && r <= 1_000_000 && !Double.isNaN(r)) {
        return r;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("option '--rate' needs orders per second, a number above 0 and at most 1000000, got '" + value + "'");
  }

  private static int sampleSeconds(String value) {
    try {
      int s = Integer.parseInt(value.trim());
      if (s >= 0 && s <= MAX_SAMPLE_SECONDS) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("option '--sample-seconds' needs a whole number of seconds from 0 (off) to "
        + MAX_SAMPLE_SECONDS + ", got '" + value + "'");
  }

  private static double durationMinutes(String value) {
    try {
      double m = Double.parseDouble(value.trim());
      if (m > 0 && m <= MAX_DURATION_MINUTES) {
        return m;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException("option '--duration-minutes' needs minutes, a number above 0 and at most "
        + MAX_DURATION_MINUTES + ", got '" + value + "'");
  }

  private static URI url(String value) {
    try {
      URI uri = new URI(value.trim());
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      if ("http".equalsIgnoreCase(uri.getScheme()) && uri.getHost() != null && (path.isEmpty() || path.equals("/"))
          && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null) {
        return new URI("http", null, uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort(), null, null, null);
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new UsageException("option '--url' needs http://host:port, got '" + value + "'");
  }

  /** @return the help text of {@code load} */
  public static String usage() {
    return """
        Usage: java -jar herald-bench.jar load [--orders N] [--concurrency N] [--users N] [--rate R] [--skus N] [--rebuild]
                                               [--rate R --duration-minutes M] [--sample-seconds S]
                                               [--profile NAME[,NAME...]] [--config FILE] [--url http://host:port [--token JWT]]

        Puts load on a Herald node over its public HTTP API and reports throughput and latency. By default it starts
        a node in this process (the usual configuration layers, on a free port); --url drives a running node instead.

        It registers the users, then places the orders (a random user, 1 to 3 items, token tok_visa). Each order is
        POSTed to /api/orders, then read back with GET /api/orders/{id}?minPosition={position}; its latency runs from
        the send (the scheduled send with --rate) until that read answers 200.

        Options:
          --orders N       orders to place (default %d)
          --concurrency N  orders in flight at once; also the HTTP connection pool's size (default %d)
          --users N        users registered first (default %d)
          --rate R         send R orders per second on a fixed schedule, measuring latency from each scheduled
                           send (default: as fast as the concurrency allows)
          --skus N         SKUs the items are drawn from (default %d); --skus 1 is a flash sale on one hot SKU
          --rebuild        afterwards rebuild the orders projection and report the events replayed per second
          --duration-minutes M
                           with --rate R, instead of --orders: place 60 * R * M orders, a run of M minutes
          --sample-seconds S
                           every S seconds while the orders are placed, print a SAMPLE line (that window's orders/s,
                           p50, p99 and failures; heap, RSS, the read models' and the relay's lag), and at the end a
                           SOAK line comparing the first and the last third of the samples (default 0: off)
          --profile a,b    configuration profiles of the in-process node, as for the node itself
          --config FILE    one more YAML file layered over the profiles of the in-process node
          --url URL        drive the node at this URL instead of starting one (not with --profile or --config)
          --token JWT      the bearer token for the node at --url, scopes read,write (and admin with --rebuild, and
                           for the lags of --sample-seconds):
                           its banner's token line, or java -jar herald.jar token --scopes read,write,admin;
                           the in-process node's token is minted from its own key
          -h, --help       print this help and exit

        -Dherald.<key>=value and HERALD_* environment variables configure the in-process node as usual, e.g.
          java -Dherald.store.postgres.schema=load_1 -jar herald-bench.jar load --profile postgres

        Progress goes to stderr; the SAMPLE lines, the report and its SOAK and RESULT lines to stdout. Exit status:
        0 when every order was accepted and became visible, 1 otherwise (or when the node cannot start), 2 for a
        command-line error.
        """.formatted(DEFAULT_ORDERS, DEFAULT_CONCURRENCY, DEFAULT_USERS, DEFAULT_SKUS);
  }
}
