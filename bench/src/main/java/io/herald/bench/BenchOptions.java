package io.herald.bench;

import io.herald.store.pg.PgStoreOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command line of the benchmark: {@code <all|codec|store> [options]}.
 *
 * @param command      which suites to run: {@code all}, {@code codec} or {@code store}
 * @param quick        a short smoke run: shorter JMH iterations, warm-ups, measurements and preload
 * @param warmupSecs   warm-up of each store case, in seconds
 * @param durationSecs measured time of each store case, in seconds
 * @param writers      concurrent writers of the "many writers" store cases
 * @param readEvents   events in the store before the read cases time readAll and the catch-up
 * @param poolSize     connections of Herald's store pool
 * @param profilers    JMH profilers for the codec suite ({@code gc}, {@code stack}, {@code jfr}, ...)
 * @param out          where the results table is written; {@code null} means {@code results.md} beside the jar
 */
record BenchOptions(String command, boolean quick, int warmupSecs, int durationSecs, int writers, int readEvents,
                    int poolSize, List<String> profilers, Path out) {

  static final String USAGE = String.join("\n",
      "usage: java -jar herald-bench.jar <all|codec|store> [options]",
      "       java -jar herald-bench.jar <load|load-feeds|load-reservations|publish> [options]  (see <command> --help)",
      "",
      "  all     envelope codec and JSON round trips (JMH), then the PostgreSQL store cases",
      "  codec   only the JMH codec benchmarks",
      "  store   only the PostgreSQL cases: appends, raw INSERT baseline, readAll and catch-up",
      "",
      "  load               orders through a node's HTTP API: throughput, latency, optionally a projection rebuild",
      "  load-feeds         many SSE and WebSocket feed clients on one node: delivery delay, missed events",
      "  load-reservations  inventory reservations over the event bus, one hot SKU then many",
      "  publish            publish throughput of Herald's broker adapters beside the brokers' own clients",
      "",
      "options of all, codec and store:",
      "  --quick             short smoke run (about a minute in all)",
      "  --warmup <s>        warm-up of each store case in seconds (default 5, quick 1)",
      "  --duration <s>      measured time of each store case in seconds (default 10, quick 2)",
      "  --writers <n>       writers of the concurrent cases (default 64)",
      "  --read-events <n>   events stored before the read cases (default 200000, quick 20000)",
      "  --pool-size <n>     connections of Herald's store pool (default " + PgStoreOptions.DEFAULT_POOL_SIZE + ")",
      "  --prof <name>       add a JMH profiler to the codec suite (gc, stack, jfr, ...); repeatable",
      "  --out <file>        write the results table here (default: results.md beside the jar)",
      "  --help              this text",
      "",
      "PostgreSQL: 127.0.0.1:5432, database test, user postgres. Each run works in its own schema bench_<random>",
      "and drops it at the end.");

  boolean runsCodec() {
    return command.equals("all") || command.equals("codec");
  }

  boolean runsStore() {
    return command.equals("all") || command.equals("store");
  }

  /** @throws IllegalArgumentException with a message for the user */
  static BenchOptions parse(String[] args) {
    String command = null;
    boolean quick = false;
    Integer warmup = null;
    Integer duration = null;
    Integer readEvents = null;
    int writers = 64;
    int poolSize = PgStoreOptions.DEFAULT_POOL_SIZE;
    List<String> profilers = new ArrayList<>();
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--warmup" -> warmup = positive(arg, value(args, ++i, arg), 0);
        case "--duration" -> duration = positive(arg, value(args, ++i, arg), 1);
        case "--writers" -> writers = positive(arg, value(args, ++i, arg), 1);
        case "--read-events" -> readEvents = positive(arg, value(args, ++i, arg), 1);
        case "--pool-size" -> poolSize = positive(arg, value(args, ++i, arg), 1);
        case "--prof" -> profilers.add(value(args, ++i, arg));
        case "--out" -> out = Path.of(value(args, ++i, arg));
        default -> {
          if (arg.startsWith("-")) {
            throw new IllegalArgumentException("unknown option " + arg);
          }
          if (command != null) {
            throw new IllegalArgumentException("one command only, got '" + command + "' and '" + arg + "'");
          }
          if (!List.of("all", "codec", "store").contains(arg)) {
            throw new IllegalArgumentException("unknown command '" + arg + "'");
          }
          command = arg;
        }
      }
    }
    if (command == null) {
      throw new IllegalArgumentException("missing command");
    }
    return new BenchOptions(command, quick,
        warmup != null ? warmup : quick ? 1 : 5,
        duration != null ? duration : quick ? 2 : 10,
        writers,
        readEvents != null ? readEvents : quick ? 20_000 : 200_000,
        poolSize, List.copyOf(profilers), out);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String option, String value, int min) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be an integer >= " + min + ", was '" + value + "'");
  }
}
