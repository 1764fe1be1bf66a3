package io.herald.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.launcher.UsageException;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("load command line")
class LoadOptionsTest {

  @Test
  @DisplayName("no arguments: an in-process node with the default profile, 10,000 orders, 64 in flight, 100 users, unpaced")
  void defaults() {
    LoadOptions options = LoadOptions.parse();

    assertThat(options).isEqualTo(new LoadOptions(List.of(), Optional.empty(), Optional.empty(), Optional.empty(), 10_000, 64, 100, 0, 50, false, 0, 0, false));
    assertThat(options.paced()).isFalse();
  }

  @Test
  @DisplayName("the issue's example: --orders 20000 --concurrency 64")
  void example() {
    LoadOptions options = LoadOptions.parse("--orders", "20000", "--concurrency", "64");

    assertThat(options.orders()).isEqualTo(20_000);
    assertThat(options.concurrency()).isEqualTo(64);
  }

  @Test
  @DisplayName("every flag, with its value as the next argument or after '='; --profile may repeat")
  void flags() {
    LoadOptions options = LoadOptions.parse("--orders=500", "--concurrency", "8", "--users=5", "--rate", "1000",
        "--rebuild", "--profile", "postgres", "--profile=metrics,tuned", "--config", "local.yaml", "--skus", "1");

    assertThat(options).isEqualTo(new LoadOptions(List.of("postgres", "metrics", "tuned"), Optional.of("local.yaml"),
        Optional.empty(), Optional.empty(), 500, 8, 5, 1000, 1, true, 0, 0, false));
    assertThat(options.paced()).isTrue();
  }

  @Test
  @DisplayName("--token goes with --url; the in-process node's token comes from its own key")
  void token() {
    assertThat(LoadOptions.parse("--url", "http://127.0.0.1:8080", "--token", "a.b.c").token()).contains("a.b.c");
    assertThat(LoadOptions.parse("--url=http://127.0.0.1:8080", "--token=a.b.c").token()).contains("a.b.c");
    assertThat(LoadOptions.parse().token()).isEmpty();
    assertError("option '--token' goes with '--url': the in-process node's token is minted from its own key", "--token", "a.b.c");
  }

  @Test
  @DisplayName("--url takes http://host:port, with or without a trailing slash; the port defaults to 80")
  void url() {
    assertThat(LoadOptions.parse("--url", "http://127.0.0.1:8080").url()).contains(URI.create("http://127.0.0.1:8080"));
    assertThat(LoadOptions.parse("--url=http://localhost:9090/").url()).contains(URI.create("http://localhost:9090"));
    assertThat(LoadOptions.parse("--url", "http://localhost").url()).contains(URI.create("http://localhost:80"));
  }

  @Test
  @DisplayName("a fractional rate is allowed")
  void fractionalRate() {
    assertThat(LoadOptions.parse("--rate", "0.5").rate()).isEqualTo(0.5);
  }

  @Test
  @DisplayName("--sample-seconds S samples every S seconds; 0, like the default, samples nothing")
  void sampleSeconds() {
    assertThat(LoadOptions.parse("--sample-seconds", "30").sampleSeconds()).isEqualTo(30);
    assertThat(LoadOptions.parse("--sample-seconds=30").sampled()).isTrue();
    assertThat(LoadOptions.parse("--sample-seconds", "0").sampled()).isFalse();
    assertThat(LoadOptions.parse().sampled()).isFalse();
    assertThat(LoadOptions.parse().sampleSeconds()).isZero();
  }

  @Test
  @DisplayName("--duration-minutes M with --rate R places 60 × R × M orders; without it --orders counts them as before")
  void durationMinutes() {
    LoadOptions soak = LoadOptions.parse("--rate", "150", "--duration-minutes", "30", "--sample-seconds", "30");
    assertThat(soak.orders()).isEqualTo(270_000);
    assertThat(soak.durationMinutes()).isEqualTo(30.0);
    assertThat(soak.rate()).isEqualTo(150.0);
    assertThat(LoadOptions.parse("--rate=100", "--duration-minutes=2").orders()).isEqualTo(12_000);
    assertThat(LoadOptions.parse("--rate", "40", "--duration-minutes", "0.25").orders()).isEqualTo(600);
    assertThat(LoadOptions.parse("--orders", "500", "--rate", "100").durationMinutes()).isZero();
    assertThat(LoadOptions.parse("--orders", "500", "--rate", "100").orders()).isEqualTo(500);
  }

  @Test
  @DisplayName("bad sampling and duration values are one-line usage errors naming the option and the value")
  void badSamplingAndDuration() {
    assertError("option '--sample-seconds' needs a whole number of seconds from 0 (off) to 3600, got '-1'", "--sample-seconds", "-1");
    assertError("option '--sample-seconds' needs a whole number of seconds from 0 (off) to 3600, got '2.5'", "--sample-seconds=2.5");
    assertError("option '--sample-seconds' needs a whole number of seconds from 0 (off) to 3600, got '3601'", "--sample-seconds", "3601");
    assertError("option '--sample-seconds' needs a value", "--sample-seconds");
    assertError("option '--sample-seconds' given twice", "--sample-seconds", "1", "--sample-seconds=2");
    assertError("option '--duration-minutes' needs minutes, a number above 0 and at most 1440, got '0'",
        "--rate", "10", "--duration-minutes", "0");
    assertError("option '--duration-minutes' needs minutes, a number above 0 and at most 1440, got 'long'",
        "--rate", "10", "--duration-minutes", "long");
    assertError("option '--duration-minutes' needs minutes, a number above 0 and at most 1440, got '1441'",
        "--rate", "10", "--duration-minutes", "1441");
    assertError("option '--duration-minutes' needs '--rate': it places 60 * rate * minutes orders", "--duration-minutes", "30");
    assertError("option '--duration-minutes' cannot be combined with '--orders': it places 60 * rate * minutes orders",
        "--rate", "10", "--duration-minutes", "30", "--orders", "100");
    assertError("options '--rate' and '--duration-minutes' make 12000000 orders; they must make 1 to 10000000",
        "--rate", "10000", "--duration-minutes", "20");
    assertError("options '--rate' and '--duration-minutes' make 0 orders; they must make 1 to 10000000",
        "--rate", "0.001", "--duration-minutes", "1");
  }

  @Test
  @DisplayName("--help and -h ask for the usage, which lists every option")
  void help() {
    assertThat(LoadOptions.parse("--help").help()).isTrue();
    assertThat(LoadOptions.parse("-h").help()).isTrue();
    assertThat(LoadOptions.usage()).contains("--orders N", "--concurrency N", "--users N", "--rate R", "--rebuild",
        "--profile a,b", "--config FILE", "--url URL", "--help", "-Dherald.store.postgres.schema=", "--duration-minutes M",
        "--sample-seconds S");
  }

  @Test
  @DisplayName("an unknown option, a stray argument or a missing value is a one-line usage error")
  void syntaxErrors() {
    assertError("unknown option '--ordrs'", "--ordrs", "5");
    assertError("unknown option '-n'", "-n", "5");
    assertError("unknown option '--services'", "--services", "order");
    assertError("unexpected argument '20000'", "20000");
    assertError("option '--orders' needs a value", "--orders");
    assertError("option '--orders' needs a value", "--orders", "--concurrency", "8");
    assertError("option '--profile' needs a value", "--profile=,");
    assertError("option '--config' needs a file", "--config=");
    assertError("option '--rebuild' takes no value", "--rebuild=yes");
    assertError("option '--help' takes no value", "--help=1");
    assertError("option '--orders' given twice", "--orders", "1", "--orders=2");
  }

  @Test
  @DisplayName("numbers out of range or not numbers name the option, the allowed range and the value")
  void badNumbers() {
    assertError("option '--orders' needs a whole number from 1 to 10000000, got 'many'", "--orders", "many");
    assertError("option '--orders' needs a whole number from 1 to 10000000, got '0'", "--orders", "0");
    assertError("option '--orders' needs a whole number from 1 to 10000000, got '-5'", "--orders", "-5");
    assertError("option '--orders' needs a whole number from 1 to 10000000, got '1.5'", "--orders=1.5");
    assertError("option '--concurrency' needs a whole number from 1 to 4096, got '5000'", "--concurrency", "5000");
    assertError("option '--users' needs a whole number from 1 to 100000, got ''", "--users=");
    assertError("option '--rate' needs orders per second, a number above 0 and at most 1000000, got '0'", "--rate", "0");
    assertError("option '--rate' needs orders per second, a number above 0 and at most 1000000, got 'fast'", "--rate", "fast");
    assertError("option '--rate' needs orders per second, a number above 0 and at most 1000000, got 'NaN'", "--rate", "NaN");
  }

  @Test
  @DisplayName("--url must be a plain http://host:port and does not mix with the in-process node's configuration")
  void badUrls() {
    assertError("option '--url' needs http://host:port, got 'localhost:8080'", "--url", "localhost:8080");
    assertError("option '--url' needs http://host:port, got 'https://example.test'", "--url", "https://example.test");
    assertError("option '--url' needs http://host:port, got 'http://127.0.0.1:8080/api'", "--url", "http://127.0.0.1:8080/api");
    assertError("option '--url' cannot be combined with '--profile': the node at the URL has its own configuration",
        "--url", "http://127.0.0.1:8080", "--profile", "postgres");
    assertError("option '--url' cannot be combined with '--config': the node at the URL has its own configuration",
        "--config", "x.yaml", "--url", "http://127.0.0.1:8080");
  }

  private static void assertError(String message, String... args) {
    assertThatThrownBy(() -> LoadOptions.parse(args)).isInstanceOf(UsageException.class).hasMessage(message);
  }
}
