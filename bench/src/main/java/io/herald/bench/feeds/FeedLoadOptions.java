package io.herald.bench.feeds;

import io.herald.launcher.UsageException;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@code java -jar herald-bench.jar load-feeds}.
 *
 * @param clients        feed connections held open at once
 * @param webSocketShare share of them that use the WebSocket feed (the others use SSE), 0 to 1
 * @param rate           events appended to the store per second
 * @param seconds        measured time, after {@code warmupSeconds}
 * @param warmupSeconds  time before measuring, once every client is connected
 * @param split          true: client i subscribes to one of ten event types (so it gets a tenth of the events);
 *                       false: every client subscribes to every event
 * @param profiles       config profiles of the in-process node ({@code postgres})
 * @param services       services the node deploys
 * @param help           print the usage and exit
 */
public record FeedLoadOptions(int clients, double webSocketShare, int rate, int seconds, int warmupSeconds, boolean split,
                              List<String> profiles, String services, boolean help) {

  static FeedLoadOptions parse(String... args) {
    int clients = 1_000;
    double webSocketShare = 0.5;
    int rate = 2_000;
    int seconds = 30;
    int warmup = 5;
    boolean split = true;
    List<String> profiles = new ArrayList<>();
    String services = "gateway";
    boolean help = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--clients" -> clients = positive(arg, value(args, ++i, arg));
        case "--websocket-share" -> webSocketShare = share(value(args, ++i, arg));
        case "--rate" -> rate = positive(arg, value(args, ++i, arg));
        case "--seconds" -> seconds = positive(arg, value(args, ++i, arg));
        case "--warmup" -> warmup = atLeast(arg, value(args, ++i, arg), 0);
        case "--types" -> split = switch (value(args, ++i, arg)) {
          case "split" -> true;
          case "all" -> false;
          default -> throw new UsageException("--types must be split or all");
        };
        case "--profile" -> profiles.addAll(List.of(value(args, ++i, arg).split(",")));
        case "--services" -> services = value(args, ++i, arg);
        case "--help", "-h" -> help = true;
        default -> throw new UsageException("unknown option '" + arg + "'");
      }
    }
    return new FeedLoadOptions(clients, webSocketShare, rate, seconds, warmup, split, List.copyOf(profiles), services, help);
  }

  static String usage() {
    return """
        Usage: java -jar herald-bench.jar load-feeds [options]
        Starts a node in this process, opens feed clients against it (SSE and WebSocket), appends events to its store at a
        fixed rate and reports each event's delivery delay (from its CloudEvents 'time' to its arrival at a client).
          --clients N            feed connections held open (default 1000)
          --websocket-share F    share of them on /api/feed/ws, the rest on /api/feed (default 0.5)
          --rate R               events appended per second (default 2000)
          --seconds S            measured time (default 30), after --warmup W seconds (default 5)
          --types split|all      split: each client follows one of ten event types; all: every client gets every event
                                 (default split)
          --profile NAME[,NAME]  node config profiles, e.g. postgres
          --services LIST        services of the node (default gateway: the feeds and the store, nothing else)
        Exit status 0 when every client got every event it subscribed to, in order, 1 otherwise.
        """;
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static int positive(String option, String value) {
    return atLeast(option, value, 1);
  }

  private static int atLeast(String option, String value, int min) {
    try {
      int n = Integer.parseInt(value);
      if (n < min) {
        throw new UsageException(option + " must be at least " + min + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a whole number, got '" + value + "'");
    }
  }

  private static double share(String value) {
    try {
      double share = Double.parseDouble(value);
      if (share < 0 || share > 1) {
        throw new UsageException("--websocket-share must be between 0 and 1, got " + value);
      }
      return share;
    } catch (NumberFormatException e) {
      throw new UsageException("--websocket-share must be a number, got '" + value + "'");
    }
  }
}
