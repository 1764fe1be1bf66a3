package io.herald.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.Yaml;

/** The deployment files under {@code docker/}, found from the module the tests run in, and the tools that check them. */
final class DeployFiles {

  /** Debian's package {@code docker-compose} (1.29); {@code scripts/test-tools.sh} installs it when it is missing. */
  static final Path DOCKER_COMPOSE = Path.of("/usr/bin/docker-compose");
  /** Debian's package {@code prometheus}; {@code scripts/test-tools.sh} installs it when it is missing. */
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  static final String COMPOSE_FILE = "docker/docker-compose.yml";
  static final String DASHBOARD = "docker/grafana/dashboards/herald.json";

  /** Variables the compose file interpolates: unset for the checks, so each run sees the file's own defaults. */
  private static final List<String> COMPOSE_VARIABLES = List.of("POSTGRES_PASSWORD", "RABBITMQ_PASSWORD",
      "GRAFANA_ADMIN_PASSWORD", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "COMPOSE_PROFILES");

  private DeployFiles() {
  }

  /** @return the checkout's root: the first directory up from the working directory holding the compose file */
  static Path root() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(COMPOSE_FILE)) && Files.isRegularFile(dir.resolve("README.md"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no directory with " + COMPOSE_FILE + " above " + Path.of("").toAbsolutePath());
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  static Map<String, Object> yaml(Path file) {
    return new Yaml().load(read(file));
  }

  /** How a command exited and what it printed on stdout and stderr. */
  record ToolRun(int exitCode, String stdout, String stderr) {

    /** Both streams, for failure messages. */
    String output() {
      return stdout + stderr;
    }
  }

  /**
   * Runs a command in the checkout's root with the {@code HERALD_*} and compose variables of this process removed and
   * {@code env} added; fails the test when it does not finish within a minute.
   */
  static ToolRun run(Map<String, String> env, String... command) throws IOException, InterruptedException {
    Path out = Files.createTempFile("deploy-check", ".out");
    Path err = Files.createTempFile("deploy-check", ".err");
    try {
      ProcessBuilder builder = new ProcessBuilder(command).directory(root().toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> environment = builder.environment();
      environment.keySet().removeIf(name -> name.startsWith("HERALD_") || COMPOSE_VARIABLES.contains(name));
      environment.putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(String.join(" ", command) + " did not finish within 60 s: " + Files.readString(out)
            + Files.readString(err));
      }
      return new ToolRun(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  /** {@code docker-compose -f docker/docker-compose.yml ARGS...} with the given interpolation variables. */
  static ToolRun compose(Map<String, String> env, String... args) throws IOException, InterruptedException {
    String[] command = new String[args.length + 3];
    command[0] = DOCKER_COMPOSE.toString();
    command[1] = "-f";
    command[2] = COMPOSE_FILE;
    System.arraycopy(args, 0, command, 3, args.length);
    return run(env, command);
  }
}
