package io.herald.bench.load;

import io.herald.launcher.StartupException;
import io.herald.launcher.UsageException;
import io.herald.launcher.config.ConfigException;
import io.herald.launcher.config.ConfigLoader;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code java -jar herald-bench.jar load [options]}: starts a node in this process (or takes the one at {@code --url}),
 * runs a {@link LoadRun} against it while drawing the progress on stderr, prints the {@link LoadReport} on stdout
 * and stops the node. Only this (main) thread blocks; the run itself is futures on the driver's event loop.
 */
public final class LoadCommand {

  /** The sub-command's name: {@code java -jar herald-bench.jar load}. */
  public static final String NAME = "load";

  static final int EXIT_OK = 0;
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;
  private static final long CLOSE_TIMEOUT_S = 10;

  private final Map<String, String> env;
  private final Map<String, String> systemProperties;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;

  /**
   * @param env              the environment, for the in-process node's configuration
   * @param systemProperties the system properties, likewise
   * @param terminal         whether {@code err} is a terminal, where the progress is redrawn in place
   */
  LoadCommand(Map<String, String> env, Map<String, String> systemProperties, PrintStream out, PrintStream err, boolean terminal) {
    this.env = Map.copyOf(env);
    this.systemProperties = Map.copyOf(systemProperties);
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Runs the command for the arguments after {@code load}.
   *
   * @return the exit status: 0 when every order was accepted and visible, 1 when not (or nothing could run),
   *     2 for a command-line error
   */
  public static int run(String... args) {
    LoadOptions options;
    try {
      options = LoadOptions.parse(args);
    } catch (UsageException e) {
      System.err.println("herald: load: " + e.getMessage() + " (see 'load --help')");
      return EXIT_USAGE;
    }
    if (options.help()) {
      System.out.print(LoadOptions.usage());
      return EXIT_OK;
    }
    LoadLogging.quiet();
    return new LoadCommand(System.getenv(), ConfigLoader.systemProperties(), System.out, System.err, System.console() != null)
        .run(options);
  }

  /** Runs the load and prints the report; errors that stop it are one line on stderr. */
  int run(LoadOptions options) {
    try {
      LoadResult result = execute(options);
      out.print(LoadReport.format(result));
      if (options.sampled()) {
        out.println(SoakSummary.of(result.samples()).line());
      }
      out.println(ResultLine.format(result));
      out.flush();
      return result.ok() ? EXIT_OK : EXIT_FAILED;
    } catch (ConfigException | StartupException | LoadException e) {
      err.println("herald: load: " + e.getMessage());
      return EXIT_FAILED;
    } catch (RuntimeException e) {
      err.println("herald: load failed: " + Failures.oneLine(e));
      return EXIT_FAILED;
    }
  }

  /**
   * Starts or finds the node, drives it, and stops what it started. Blocks the calling (non Vert.x) thread.
   *
   * @throws LoadException when the run cannot complete (the node is unreachable, the users cannot be set up)
   */
  LoadResult execute(LoadOptions options) {
    if (options.url().isEmpty()) {
      err.println("load: starting a node in this process");
    }
    try (LoadTarget target = options.url().map(url -> LoadTarget.remote(url, options.token().orElse(null))).orElseGet(() -> LoadTarget.start(options, env, systemProperties))) {
      Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
      try {
        return drive(new LoadRun(vertx, target.base(), target.token(), options, target.label()), options);
      } finally {
        close(vertx);
      }
    }
  }

  private LoadResult drive(LoadRun run, LoadOptions options) {
    CompletableFuture<LoadResult> done = run.start().toCompletionStage().toCompletableFuture();
    Progress progress = new Progress(run, options);
    while (true) {
      try {
        LoadResult result = done.get(ProgressBar.REDRAW_MS, TimeUnit.MILLISECONDS);
        progress.show(LoadRun.Stage.DONE);
        return result;
      } catch (TimeoutException e) {
        progress.show(run.stage());
      } catch (ExecutionException e) {
        progress.abort();
        throw e.getCause() instanceof RuntimeException runtime ? runtime : new LoadException(Failures.oneLine(e.getCause()), e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LoadException("interrupted");
      }
    }
  }

  private static void close(Vertx vertx) {
    try {
      vertx.close().await(CLOSE_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      // the process is about to exit
    }
  }

  /** The stage lines and the order phase's bar on stderr. */
  private final class Progress {
    private final LoadRun run;
    private final LoadOptions options;
    private LoadRun.Stage shown = LoadRun.Stage.STARTING;
    private ProgressBar bar;
    private boolean lagProblemShown;

    Progress(LoadRun run, LoadOptions options) {
      this.run = run;
      this.options = options;
    }

    /**
     * Prints the samples taken since the last call, walks through every stage up to {@code stage}, printing each
     * one's line, then redraws the bar when due.
     */
    void show(LoadRun.Stage stage) {
      printSamples();
      while (shown.compareTo(stage) < 0) {
        leave();
        shown = LoadRun.Stage.values()[shown.ordinal() + 1];
        enter(shown);
      }
      if (shown == LoadRun.Stage.ORDERS) {
        bar.update(run.stats().done(), run.stats().failedCount(), System.nanoTime());
      }
    }

    /** The run failed: ends the bar's line, if one is drawn. */
    void abort() {
      leave();
      shown = LoadRun.Stage.DONE;
    }

    /** SAMPLE lines on stdout; on a terminal the bar's line is cleared first and redrawn after them. */
    private void printSamples() {
      for (Sample sample = run.nextSample(); sample != null; sample = run.nextSample()) {
        if (bar != null) {
          bar.clear();
        }
        out.println(SampleLine.format(sample));
        out.flush();
        sample.lag().problem().filter(problem -> !lagProblemShown).ifPresent(problem -> {
          lagProblemShown = true;
          err.println("load: the samples leave the read models' lag out: " + problem);
        });
      }
    }

    private void enter(LoadRun.Stage stage) {
      switch (stage) {
        case USERS -> err.println(String.format(Locale.ROOT, "load: registering %,d users", options.users()));
        case ORDERS -> {
          err.println(String.format(Locale.ROOT, "load: placing %,d orders, concurrency %d%s%s", options.orders(),
              options.concurrency(), options.paced() ? String.format(Locale.ROOT, ", %,.0f orders/s", options.rate()) : "",
              options.sampled() ? String.format(Locale.ROOT, ", a sample every %d s", options.sampleSeconds()) : ""));
          bar = new ProgressBar(err, terminal, "orders", options.orders(), System.nanoTime());
        }
        case REBUILD -> {
          if (options.rebuild()) {
            err.println("load: waiting until every projection has caught up, then rebuilding projection '"
                + LoadRun.PROJECTION + "'");
          }
        }
        default -> {
        }
      }
    }

    private void leave() {
      if (shown == LoadRun.Stage.ORDERS) {
        bar.finish(run.stats().done(), run.stats().failedCount(), System.nanoTime());
      }
    }
  }
}
