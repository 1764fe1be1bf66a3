package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of {@code herald.jar} in a subprocess, with stdout and stderr captured in files. The jar's path comes from
 * the {@code packaged.jar} system property (failsafe sets it after {@code package}).
 */
final class JarRun implements AutoCloseable {

  static final Duration STARTUP = Duration.ofSeconds(60);
  /**
   * The HMAC secret every run shares unless its environment sets {@code HERALD_AUTH_SECRET} itself (empty: the node
   * makes its own development key), so one token works on every process and across restarts.
   */
  static final String SECRET = "herald-packaged-tests-shared-secret-0123456789";
  private static String token;

  final Process process;
  private final Path out;
  private final Path err;

  private JarRun(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  static Path jar() {
    Path jar = Path.of(System.getProperty("packaged.jar", "target/herald.jar")).toAbsolutePath().normalize();
    assertThat(jar).as("the shaded jar (run `mvn package` first)").isRegularFile();
    return jar;
  }

  static JarRun start(Path directory, Map<String, String> env, String... args) throws IOException {
    return start(directory, List.of(), env, args);
  }

  static JarRun start(Path directory, List<String> jvmOptions, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("herald-it-", ".out");
    Path err = Files.createTempFile("herald-it-", ".err");
    ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.toUpperCase(Locale.ROOT).startsWith("HERALD_"));
    builder.environment().put("HERALD_AUTH_SECRET", SECRET);
    builder.environment().putAll(env);
    return new JarRun(builder.start(), out, err);
  }

  /** @return a token with every scope, signed with {@link #SECRET} */
  static synchronized String token() {
    if (token == null) {
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        token = io.herald.gateway.auth.Tokens.load(vertx, io.herald.gateway.auth.AuthOptions.defaults().withSecret(SECRET))
            .await().mint(java.util.EnumSet.allOf(io.herald.gateway.auth.Scope.class), 6 * 3_600, "packaged-tests");
      } finally {
        vertx.close();
      }
    }
    return token;
  }

  /** @return the token of the banner's {@code token} line (a node with a development key) */
  String bannerToken() throws IOException {
    String text = output();
    return text.lines().filter(line -> line.startsWith("  token     ")).map(line -> line.substring(12).trim())
        .findFirst().orElseThrow(() -> new AssertionError("no token line in the banner:\n" + text));
  }

  void awaitOutput(String text) throws Exception {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (!output().contains(text)) {
      if (!process.isAlive()) {
        throw new AssertionError("herald.jar exited with " + process.exitValue() + " before printing '" + text + "'\n"
            + output() + errors());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("herald.jar did not print '" + text + "' within " + STARTUP + "\n" + output() + errors());
      }
      Thread.sleep(100);
    }
  }

  int awaitExit() throws Exception {
    if (!process.waitFor(STARTUP.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("herald.jar still runs after " + STARTUP + "\n" + output() + errors());
    }
    return process.exitValue();
  }

  String output() throws IOException {
    return Files.readString(out);
  }

  String errors() throws IOException {
    return Files.readString(err);
  }

  List<String> errorLines() throws IOException {
    return errors().lines().filter(line -> !line.isBlank()).toList();
  }

  @Override
  public void close() throws IOException {
    if (process.isAlive()) {
      process.destroyForcibly();
    }
    Files.deleteIfExists(out);
    Files.deleteIfExists(err);
  }
}
