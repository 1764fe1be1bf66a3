package io.herald.bench.publish;

import io.herald.launcher.OptionValues;
import io.herald.launcher.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code java -jar herald-bench.jar publish}.
 *
 * @param brokers  the brokers to measure (default: every one with a benchmark)
 * @param events   events per measured run
 * @param warmup   events published (both ways) before measuring
 * @param relay    also measure the relay from a PostgreSQL store to each broker
 * @param profiles config profiles for the relay run's store (postgres is added) and the brokers' settings
 * @param help     print the usage
 */
public record PublishOptions(List<String> brokers, int events, int warmup, boolean relay, List<String> profiles, boolean help) {

  static final int DEFAULT_EVENTS = 100_000;
  static final int DEFAULT_WARMUP = 20_000;
  private static final int MAX_EVENTS = 10_000_000;

  /** @throws UsageException naming the unknown option or the bad value */
  public static PublishOptions parse(String... args) {
    List<String> brokers = new ArrayList<>();
    List<String> profiles = new ArrayList<>();
    int events = DEFAULT_EVENTS;
    int warmup = DEFAULT_WARMUP;
    boolean relay = false;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--relay" -> relay = true;
        case "--broker" -> brokers.addAll(OptionValues.list(OptionValues.next(args, ++i, name), name));
        case "--profile" -> profiles.addAll(OptionValues.list(OptionValues.next(args, ++i, name), name));
        case "--events" -> events = whole(name, OptionValues.next(args, ++i, name), 1);
        case "--warmup" -> warmup = whole(name, OptionValues.next(args, ++i, name), 0);
        default -> throw new UsageException(name.startsWith("-") ? "unknown option '" + name + "'" : "unexpected argument '" + name + "'");
      }
    }
    for (String broker : brokers) {
      if (!PublishBenches.names().contains(broker)) {
        throw new UsageException("option '--broker': no benchmark for '" + broker + "' (known: " + String.join(", ", PublishBenches.names()) + ")");
      }
    }
    return new PublishOptions(brokers.isEmpty() ? PublishBenches.names() : List.copyOf(brokers), events, warmup, relay,
        List.copyOf(profiles), help);
  }

  private static int whole(String option, String value, int min) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < min || n > MAX_EVENTS) {
        throw new UsageException("option '" + option + "' must be between " + min + " and " + MAX_EVENTS + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("option '" + option + "' needs a whole number, got '" + value + "'");
    }
  }

  static String usage() {
    return """
        Usage: java -jar herald-bench.jar publish [--broker kafka,rabbitmq,redis,nats] [--events N] [--warmup N] [--relay]
                                                  [--profile NAME,...]

        Publishes the same events with confirms through Herald's broker adapter and through the broker's own client,
        on the brokers of this machine (see config/<broker>.yaml), and prints events/s of both and their ratio.
        --relay also stores the events in PostgreSQL (a schema of its own, dropped afterwards) and measures the relay
        publishing them to each broker.

          --broker LIST   brokers to measure (default: all)
          --events N      events per measured run (default 100000)
          --warmup N      events published both ways before measuring (default 20000)
          --relay         measure the relay from the PostgreSQL store too
          --profile LIST  config profiles for the broker and store settings
        """;
  }
}
