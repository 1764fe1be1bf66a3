package io.herald.bench;

import io.herald.bench.feeds.FeedLoadCommand;
import io.herald.bench.load.LoadCommand;
import io.herald.bench.load.RebuildCommand;
import io.herald.bench.load.ReservationLoadCommand;
import io.herald.bench.publish.PublishCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Herald's benchmark: {@code java -jar bench/target/herald-bench.jar <all|codec|store> [--quick]}. Prints a
 * results table and writes it to {@code results.md} beside the jar (or {@code --out}).
 *
 * <p>{@code load}, {@code load-feeds}, {@code load-reservations}, {@code rebuild} and {@code publish} run the tool of that name
 * instead, with its own options, and exit with its status.
 */
public final class Bench {

  private static final Map<String, ToIntFunction<String[]>> TOOLS = Map.of(
      LoadCommand.NAME, LoadCommand::run,
      FeedLoadCommand.NAME, FeedLoadCommand::run,
      ReservationLoadCommand.NAME, ReservationLoadCommand::run,
      RebuildCommand.NAME, RebuildCommand::run,
      PublishCommand.NAME, PublishCommand::run);
  // herald.jar's logback.xml, copied in by the pom: the tools' in-process node logs as herald.jar's does
  private static final String NODE_LOGBACK = "node/logback.xml";

  private Bench() {
  }

  public static void main(String[] args) throws Exception {
    ToIntFunction<String[]> tool = args.length > 0 ? TOOLS.get(args[0]) : null;
    if (tool != null) {
      if (System.getProperty("logback.configurationFile") == null) {
        System.setProperty("logback.configurationFile", NODE_LOGBACK);
      }
      System.exit(tool.applyAsInt(Arrays.copyOfRange(args, 1, args.length)));
      return;
    }
    if (Arrays.asList(args).contains("--help") || Arrays.asList(args).contains("-h")) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println();
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }

    Report report = new Report();
    report.fact("Herald benchmark, " + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + (options.quick() ? " (quick run: figures are indicative only)" : ""));
    report.fact(String.format("Machine: %d cores, JVM %s %s (max heap %d MiB), %s %s",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"), System.getProperty("java.version"),
        Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch")));
    report.fact(String.format("Load average when the run started: %.2f (other programs' CPU use distorts every figure; see Other CPU below)",
        CpuSampler.loadAverage()));
    report.fact(String.format("Event: order.created with 2 items and an address, %d bytes of JSON data",
        Payloads.dataBytes(Payloads.order("ord-2f6c1a9e"))));

    if (options.runsCodec()) {
      StoreSuite.log("== codec: JMH, 1 fork, 1 thread");
      new CodecSuite(options).run(report);
      report.note("Codec rows: JMH throughput (one thread). Raw = the data record alone through Jackson (EventJson.toBytes + fromBytes), "
          + "the floor under both envelope forms.");
    }
    if (options.runsStore()) {
      StoreSuite.log("== store: PostgreSQL");
      new StoreSuite(options).run(report);
      report.note("Append rows: each writer appends to its own stream with the expected version, all writers concurrently on one "
          + "event loop. Raw = plain INSERTs (autocommit, one statement per transaction) of the same rows into a table with "
          + "the same columns and indexes, from as many clients (one connection each).");
      report.note("Read rows: raw = the same keyset-paged SELECT on the same rows, every column fetched, no JSON decoding.");
      report.note("Raw ref. = raw figures measured earlier on the same kind of machine (1 row/tx: ≈4,200 rows/s from 1 client, "
          + "≈12,600 from 8; 10 rows/tx: ≈25,000 from 1, ≈61,000 from 8).");
    }

    String table = report.render();
    System.out.println();
    System.out.println(table);
    Path out = options.out() != null ? options.out() : besideJar();
    try {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, table);
      System.out.println("written to " + out);
    } catch (IOException e) {
      System.err.println("could not write " + out + ": " + e.getMessage());
    }
    if (!report.misses().isEmpty()) {
      System.out.println("targets missed:");
      report.misses().forEach(m -> System.out.println("  " + m));
    }
  }

  // bench/target/results.md when run as java -jar bench/target/herald-bench.jar
  private static Path besideJar() {
    try {
      Path location = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isRegularFile(location)) {
        return location.resolveSibling("results.md");
      }
    } catch (Exception ignored) {
      // fall back to the working directory
    }
    return Path.of("results.md");
  }
}
