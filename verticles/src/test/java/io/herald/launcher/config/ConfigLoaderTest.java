package io.herald.launcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.herald.service.config.SagaMode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
@DisplayName("Layered configuration")
class ConfigLoaderTest {

  private static final Map<String, String> NONE = Map.of();

  @TempDir
  Path dir;

  /** A config directory holding the real default.yaml (from the classpath) and the given profiles. */
  private String configDir(Map<String, String> profiles) throws IOException {
    try (InputStream defaults = getClass().getClassLoader().getResourceAsStream("config/default.yaml")) {
      assertThat(defaults).as("config/default.yaml on the classpath").isNotNull();
      Files.copy(defaults, dir.resolve("default.yaml"));
    }
    for (Map.Entry<String, String> profile : profiles.entrySet()) {
      Files.writeString(dir.resolve(profile.getKey() + ".yaml"), profile.getValue());
    }
    return dir.toString();
  }

  private static LoadedConfig await(Future<LoadedConfig> future) {
    return future.await();
  }

  private static String failure(Future<LoadedConfig> future) {
    Throwable err = catchThrowable(() -> future.await(10, TimeUnit.SECONDS));
    assertThat(err).isInstanceOf(ConfigException.class);
    assertThat(err.getMessage()).doesNotContain("\n");
    return err.getMessage();
  }

  @Nested
  @DisplayName("with the shipped config/ directory")
  class Shipped {

    @Test
    @DisplayName("default.yaml alone gives the embedded defaults that HeraldConfig documents")
    void defaultsMatchTheRecord(Vertx vertx) {
      LoadedConfig loaded = await(new ConfigLoader(vertx, NONE, NONE).load(List.of(), null));

      HeraldConfig config = loaded.typed();
      assertThat(config).isEqualTo(HeraldConfig.from(new io.vertx.core.json.JsonObject()));
      assertThat(config.mode()).isEqualTo("embedded");
      assertThat(config.store().type()).isEqualTo(StoreType.MEMORY);
      assertThat(config.broker().type()).isEqualTo(BrokerType.EVENTBUS);
      assertThat(config.http()).isEqualTo(new HttpConfig("127.0.0.1", 8080, 2));
      assertThat(config.services().isAll()).isTrue();
      assertThat(loaded.layers()).containsExactly("default");
    }

    @Test
    @DisplayName("the postgres profile switches the store to PostgreSQL on 127.0.0.1:5432/test")
    void postgresProfile(Vertx vertx) {
      HeraldConfig config = await(new ConfigLoader(vertx, NONE, NONE).load(List.of("postgres"), null)).typed();

      assertThat(config.store().type()).isEqualTo(StoreType.POSTGRES);
      assertThat(config.store().postgres().address()).isEqualTo("127.0.0.1:5432/test (schema herald)");
      assertThat(config.store().postgres().poolSize()).isEqualTo(8);
      assertThat(config.mode()).isEqualTo("postgres");
    }

    @Test
    @DisplayName("an unknown profile is named, with the available ones")
    void unknownShippedProfile(Vertx vertx) {
      String message = failure(new ConfigLoader(vertx, NONE, NONE).load(List.of("nosuch"), null));

      assertThat(message).startsWith("unknown profile 'nosuch' (available: ").contains("postgres").doesNotContain("default");
    }
  }

  @Nested
  @DisplayName("with profiles of its own")
  class Profiles {

    private String config;

    @BeforeEach
    void writeProfiles() throws IOException {
      config = configDir(Map.of(
          "a", "http:\n  port: 9001\nsaga:\n  mode: choreography\n",
          "b", "http.port: 9002\n",
          "comments", "# nothing set here\n"));
    }

    @Test
    @DisplayName("profiles merge in the order given, later ones winning key by key")
    void profilesMergeInOrder(Vertx vertx) {
      ConfigLoader loader = new ConfigLoader(vertx, config, NONE, NONE);

      HeraldConfig ab = await(loader.load(List.of("a,b"), null)).typed();
      HeraldConfig ba = await(loader.load(List.of("b", "a"), null)).typed();

      assertThat(ab.http().port()).isEqualTo(9002);
      assertThat(ab.saga().mode()).isEqualTo(SagaMode.CHOREOGRAPHY);
      assertThat(ba.http().port()).isEqualTo(9001);
    }

    @Test
    @DisplayName("HERALD_PROFILE chooses the profiles when --profile is absent, and --profile wins over it")
    void profileVariable(Vertx vertx) {
      Map<String, String> env = Map.of("HERALD_PROFILE", "a, b");

      LoadedConfig fromEnv = await(new ConfigLoader(vertx, config, env, NONE).load(List.of(), null));
      LoadedConfig fromCli = await(new ConfigLoader(vertx, config, env, NONE).load(List.of("a"), null));

      assertThat(fromEnv.profiles()).containsExactly("a", "b");
      assertThat(fromEnv.typed().http().port()).isEqualTo(9002);
      assertThat(fromCli.profiles()).containsExactly("a");
      assertThat(fromCli.typed().http().port()).isEqualTo(9001);
    }

    @Test
    @DisplayName("a profile holding only comments changes nothing")
    void commentOnlyProfile(Vertx vertx) {
      HeraldConfig config = await(new ConfigLoader(vertx, this.config, NONE, NONE).load(List.of("comments"), null)).typed();

      assertThat(config).isEqualTo(HeraldConfig.from(new io.vertx.core.json.JsonObject()));
    }

    @Test
    @DisplayName("--config layers one more file over the profiles")
    void configFile(Vertx vertx) throws IOException {
      Path extra = Files.writeString(dir.resolve("extra.yml"), "http:\n  port: 9003\n");

      LoadedConfig loaded = await(new ConfigLoader(vertx, config, NONE, NONE).load(List.of("a", "b"), extra.toString()));

      assertThat(loaded.typed().http().port()).isEqualTo(9003);
      assertThat(loaded.typed().saga().mode()).isEqualTo(SagaMode.CHOREOGRAPHY);
      assertThat(loaded.configFile()).contains(extra.toString());
    }

    @Test
    @DisplayName("environment variables override the files, matched case-insensitively against the known keys")
    void environmentOverrides(Vertx vertx) {
      Map<String, String> env = Map.of(
          "HERALD_HTTP_PORT", "9100",
          "herald_saga_mode", "orchestration",
          "HERALD_STORE_POSTGRES_POOLSIZE", "3",
          "HERALD_STORE_POSTGRES_PASSWORD", "1234",
          "PATH", "/usr/bin");

      LoadedConfig loaded = await(new ConfigLoader(vertx, config, env, NONE).load(List.of("a", "b"), null));

      HeraldConfig typed = loaded.typed();
      assertThat(typed.http().port()).isEqualTo(9100);
      assertThat(typed.saga().mode()).isEqualTo(SagaMode.ORCHESTRATION);
      assertThat(typed.store().postgres().poolSize()).isEqualTo(3);
      assertThat(typed.store().postgres().password()).isEqualTo("1234");
      assertThat(loaded.overrides()).contains("http.port (HERALD_HTTP_PORT)", "store.postgres.poolSize (HERALD_STORE_POSTGRES_POOLSIZE)");
    }

    @Test
    @DisplayName("system properties override environment variables, which override --config")
    void precedence(Vertx vertx) throws IOException {
      Path extra = Files.writeString(dir.resolve("extra.yaml"), "http:\n  port: 9003\n  host: 0.0.0.0\nlog.format: json\n");
      Map<String, String> env = Map.of("HERALD_HTTP_PORT", "9100", "HERALD_HTTP_HOST", "127.0.0.2");
      Map<String, String> sys = Map.of("herald.http.port", "9200", "java.version", "17");

      HeraldConfig typed = await(new ConfigLoader(vertx, config, env, sys).load(List.of("a"), extra.toString())).typed();

      assertThat(typed.http()).isEqualTo(new HttpConfig("127.0.0.2", 9200, 2));
      assertThat(typed.log().format()).isEqualTo(LogFormat.JSON);
      assertThat(typed.saga().mode()).isEqualTo(SagaMode.CHOREOGRAPHY);
    }

    @Test
    @DisplayName("an unknown profile is named, with the available ones")
    void unknownProfile(Vertx vertx) {
      String message = failure(new ConfigLoader(vertx, config, NONE, NONE).load(List.of("a", "nosuch"), null));

      assertThat(message).isEqualTo("unknown profile 'nosuch' (available: a, b, comments)");
    }

    @Test
    @DisplayName("a key that default.yaml does not list is rejected with the profile it came from")
    void unknownKeyInProfile(Vertx vertx) throws IOException {
      Files.writeString(dir.resolve("postgres.yaml"), "store:\n  type: postgres\nhttp:\n  prot: 8081\n");

      String message = failure(new ConfigLoader(vertx, config, NONE, NONE).load(List.of("postgres"), null));

      assertThat(message).isEqualTo("unknown config key 'http.prot' (from profile postgres)");
    }

    @Test
    @DisplayName("unknown keys are also rejected in the --config file, the environment and system properties")
    void unknownKeyElsewhere(Vertx vertx) throws IOException {
      Path extra = Files.writeString(dir.resolve("extra.yaml"), "sagas:\n  mode: choreography\n");

      assertThat(failure(new ConfigLoader(vertx, config, NONE, NONE).load(List.of(), extra.toString())))
          .isEqualTo("unknown config key 'sagas.mode' (from config file " + extra + ")");
      assertThat(failure(new ConfigLoader(vertx, config, Map.of("HERALD_HTTP_PROT", "1"), NONE).load(List.of(), null)))
          .isEqualTo("unknown config key 'http.prot' (from environment variable HERALD_HTTP_PROT)");
      assertThat(failure(new ConfigLoader(vertx, config, NONE, Map.of("herald.http.prot", "1")).load(List.of(), null)))
          .isEqualTo("unknown config key 'http.prot' (from system property herald.http.prot)");
    }

    @Test
    @DisplayName("a missing --config file and an invalid profile name are reported on one line")
    void missingFiles(Vertx vertx) {
      assertThat(failure(new ConfigLoader(vertx, config, NONE, NONE).load(List.of(), dir.resolve("nope.yaml").toString())))
          .isEqualTo("config file '" + dir.resolve("nope.yaml") + "' not found");
      assertThat(failure(new ConfigLoader(vertx, config, NONE, NONE).load(List.of("../etc/passwd"), null)))
          .startsWith("invalid profile name '../etc/passwd'");
    }

    @Test
    @DisplayName("a file that is not valid YAML is reported on one line with its path")
    void invalidYaml(Vertx vertx) throws IOException {
      Files.writeString(dir.resolve("broken.yaml"), "http:\n  port: [8080\n  host: x\n");

      String message = failure(new ConfigLoader(vertx, config, NONE, NONE).load(List.of("broken"), null));

      assertThat(message).startsWith("cannot read " + config + "/broken.yaml: ");
    }

    @Test
    @DisplayName("an ill-typed value names the key and the value")
    void illTypedValue(Vertx vertx) {
      LoadedConfig loaded = await(new ConfigLoader(vertx, config, Map.of("HERALD_HTTP_PORT", "abc"), NONE).load(List.of(), null));

      Throwable err = catchThrowable(loaded::typed);

      assertThat(err).isInstanceOf(ConfigException.class).hasMessage("config key 'http.port' must be an integer, got 'abc'");
    }

    @Test
    @DisplayName("a value outside an enumeration names the key and the allowed values")
    void badEnumValue(Vertx vertx) throws IOException {
      Files.writeString(dir.resolve("sideways.yaml"), "saga:\n  mode: sideways\n");
      LoadedConfig loaded = await(new ConfigLoader(vertx, config, NONE, NONE).load(List.of("sideways"), null));

      Throwable err = catchThrowable(loaded::typed);

      assertThat(err).isInstanceOf(ConfigException.class)
          .hasMessage("config key 'saga.mode' must be one of orchestration, choreography, got 'sideways'");
    }
  }
}
