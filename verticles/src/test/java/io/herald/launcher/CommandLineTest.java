package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
@DisplayName("Launcher command line")
class CommandLineTest {

  @Test
  @DisplayName("no arguments means no profile, no extra file, the configured services and no help")
  void empty() {
    assertThat(CommandLine.parse()).isEqualTo(new CommandLine(List.of(), Optional.empty(), Optional.empty(), false));
  }

  @Test
  @DisplayName("flags take their value as the next argument or after '=', and --profile may repeat")
  void flags() {
    CommandLine cli = CommandLine.parse("--profile", "postgres,kafka", "--profile=metrics", "--config=local.yaml",
        "--services", "gateway, relay");

    assertThat(cli.profiles()).containsExactly("postgres", "kafka", "metrics");
    assertThat(cli.configFile()).contains("local.yaml");
    assertThat(cli.services()).contains(List.of("gateway", "relay"));
    assertThat(cli.help()).isFalse();
  }

  @Test
  @DisplayName("--cluster turns clustered mode on and takes no value")
  void cluster() {
    assertThat(CommandLine.parse("--cluster", "--profile", "postgres,kafka").cluster()).isTrue();
    assertThat(CommandLine.parse("--profile", "postgres").cluster()).isFalse();
    assertThatThrownBy(() -> CommandLine.parse("--cluster=true"))
        .isInstanceOf(UsageException.class).hasMessageContaining("option '--cluster' takes no value");
  }

  @Test
  @DisplayName("--help and -h ask for the usage")
  void help() {
    assertThat(CommandLine.parse("--help").help()).isTrue();
    assertThat(CommandLine.parse("-h").help()).isTrue();
  }

  @Test
  @DisplayName("an unknown option, a stray argument or a missing value is a one-line usage error")
  void errors() {
    assertThatThrownBy(() -> CommandLine.parse("--prfile", "postgres"))
        .isInstanceOf(UsageException.class).hasMessage("unknown option '--prfile'");
    assertThatThrownBy(() -> CommandLine.parse("-conf", "x.json"))
        .isInstanceOf(UsageException.class).hasMessage("unknown option '-conf'");
    assertThatThrownBy(() -> CommandLine.parse("run"))
        .isInstanceOf(UsageException.class).hasMessage("unexpected argument 'run'");
    assertThatThrownBy(() -> CommandLine.parse("--profile"))
        .isInstanceOf(UsageException.class).hasMessage("option '--profile' needs a value");
    assertThatThrownBy(() -> CommandLine.parse("--services", "--help"))
        .isInstanceOf(UsageException.class).hasMessage("option '--services' needs a value");
    assertThatThrownBy(() -> CommandLine.parse("--profile=,"))
        .isInstanceOf(UsageException.class).hasMessage("option '--profile' needs a value");
    assertThatThrownBy(() -> CommandLine.parse("--config", "a.yaml", "--config", "b.yaml"))
        .isInstanceOf(UsageException.class).hasMessage("option '--config' given twice");
  }

  @Test
  @DisplayName("a load or benchmark tool's name is a usage error that says the tool is in herald-bench.jar")
  void benchTools() {
    assertThatThrownBy(() -> CommandLine.parse("load", "--orders", "10"))
        .isInstanceOf(UsageException.class).hasMessage("unexpected argument 'load' (the load and benchmark tools are in "
            + "herald-bench.jar: java -jar bench/target/herald-bench.jar load --help)");
    assertThatThrownBy(() -> CommandLine.parse("load-feeds"))
        .isInstanceOf(UsageException.class).hasMessageEndingWith("java -jar bench/target/herald-bench.jar load-feeds --help)");
    assertThatThrownBy(() -> CommandLine.parse("load-reservations"))
        .isInstanceOf(UsageException.class).hasMessageEndingWith("java -jar bench/target/herald-bench.jar load-reservations --help)");
    assertThatThrownBy(() -> CommandLine.parse("bench"))
        .isInstanceOf(UsageException.class).hasMessageEndingWith("java -jar bench/target/herald-bench.jar publish --help)");
  }

  @Test
  @DisplayName("the usage lists every option and the catalogue's services")
  void usage() {
    String usage = CommandLine.usage(ServiceCatalogue.standard());

    assertThat(usage).contains("--profile a,b", "--config FILE", "--services a,b", "--help", "HERALD_PROFILE", "HERALD_HTTP_PORT")
        .containsPattern("(?m)^  gateway +public HTTP API under /api$");
  }
}
