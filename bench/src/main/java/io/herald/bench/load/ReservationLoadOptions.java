package io.herald.bench.load;

import io.herald.launcher.OptionValues;
import io.herald.launcher.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code java -jar herald-bench.jar load-reservations}.
 *
 * @param profiles     config profiles of the node (default {@code postgres})
 * @param skus         the SKU counts to measure, one run each (default 1 and 1000)
 * @param reservations reservations per measured run
 * @param inFlight     reservations in flight at once
 * @param help         print the usage
 */
public record ReservationLoadOptions(List<String> profiles, List<Integer> skus, int reservations, int inFlight, boolean help) {

  static final int DEFAULT_RESERVATIONS = 20_000;
  static final int DEFAULT_IN_FLIGHT = 512;
  private static final int MAX = 10_000_000;

  /** @throws UsageException naming the unknown option or the bad value */
  public static ReservationLoadOptions parse(String... args) {
    List<String> profiles = new ArrayList<>();
    List<Integer> skus = new ArrayList<>();
    int reservations = DEFAULT_RESERVATIONS;
    int inFlight = DEFAULT_IN_FLIGHT;
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      switch (name) {
        case "--help", "-h" -> help = true;
        case "--profile" -> profiles.addAll(OptionValues.list(OptionValues.next(args, ++i, name), name));
        case "--skus" -> {
          for (String value : OptionValues.list(OptionValues.next(args, ++i, name), name)) {
            skus.add(whole(name, value));
          }
        }
        case "--reservations" -> reservations = whole(name, OptionValues.next(args, ++i, name));
        case "--in-flight" -> inFlight = whole(name, OptionValues.next(args, ++i, name));
        default -> throw new UsageException(name.startsWith("-") ? "unknown option '" + name + "'" : "unexpected argument '" + name + "'");
      }
    }
    return new ReservationLoadOptions(profiles.isEmpty() ? List.of("postgres") : List.copyOf(profiles),
        skus.isEmpty() ? List.of(1, 1_000) : List.copyOf(skus), reservations, inFlight, help);
  }

  private static int whole(String option, String value) {
    try {
      int n = Integer.parseInt(value.trim());
      if (n < 1 || n > MAX) {
        throw new UsageException("option '" + option + "' must be between 1 and " + MAX + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException("option '" + option + "' needs a whole number, got '" + value + "'");
    }
  }

  static String usage() {
    return """
        Usage: java -jar herald-bench.jar load-reservations [--profile NAME,...] [--skus 1,1000] [--reservations N]
                                                            [--in-flight N]

        Starts a node running the inventory service alone (profile postgres by default; its store schema is the one
        configured) and sends it reservations of one unit for distinct orders over the event bus, N in flight at
        once: one run per SKU count, after a short warm-up. Prints reservations/s, latency percentiles and how many
        were answered busy (and sent again).

          --profile LIST      config profiles of the node (default postgres)
          --skus LIST         SKU counts to spread the reservations over (default 1,1000)
          --reservations N    reservations per measured run (default 20000)
          --in-flight N       reservations in flight at once (default 512)
        """;
  }
}
