package io.herald.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs {@link EnvelopeBenchmarks} with JMH, in one forked JVM and on one thread, and reports envelopes per second. */
final class CodecSuite {

  private final BenchOptions options;

  CodecSuite(BenchOptions options) {
    this.options = options;
  }

  void run(Report report) throws RunnerException {
    boolean quick = options.quick();
    ChainedOptionsBuilder jmh = new OptionsBuilder()
        .include("^" + EnvelopeBenchmarks.class.getName().replace(".", "\\.") + "\\.")
        .forks(1)
        .threads(1)
        // Jackson's many small methods need a long warm-up before C2 has compiled them all
        .warmupIterations(quick ? 3 : 8)
        .warmupTime(TimeValue.seconds(quick ? 1 : 2))
        .measurementIterations(quick ? 2 : 5)
        .measurementTime(TimeValue.seconds(quick ? 1 : 2))
        .timeUnit(TimeUnit.SECONDS)
        .jvmArgsAppend("-Xms1g", "-Xmx1g")
        .shouldFailOnError(true);
    for (String profiler : options.profilers()) {
      jmh.addProfiler(profiler);
    }
    Collection<RunResult> results = new Runner(jmh.build()).run();
    Map<String, Score> scores = new HashMap<>();
    for (RunResult result : results) {
      String method = result.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      scores.put(method, new Score(result.getPrimaryResult().getScore(), result.getPrimaryResult().getScoreError()));
    }
    StringBuilder spread = new StringBuilder("JMH scores with their 99.9% confidence half-width (ops/s):");
    for (String method : new String[] {"codecRoundTrip", "codecEncode", "codecDecode", "cloudEventJsonRoundTrip", "dataJacksonRoundTrip"}) {
      Score score = scores.get(method);
      if (score != null) {
        spread.append(' ').append(method).append(' ').append(Report.count(score.mean())).append(" ± ").append(Report.count(score.error())).append(';');
      }
    }
    report.note(spread.substring(0, spread.length() - 1) + ".");
    Score raw = scores.get("dataJacksonRoundTrip");
    report.codec("EnvelopeCodec round trip (encodeToWire + decodeFromWire)", scores.get("codecRoundTrip"), raw, 1_000_000);
    report.codec("  of which encodeToWire alone", scores.get("codecEncode"), null, 0);
    report.codec("  of which decodeFromWire alone", scores.get("codecDecode"), null, 0);
    report.codec("CloudEventJson round trip (encode + toBuffer + decode)", scores.get("cloudEventJsonRoundTrip"), raw, 0);
  }

  /** A JMH score: mean operations per second and the half-width of its 99.9% confidence interval. */
  record Score(double mean, double error) {
  }
}
