package io.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.deploy.DeployFiles.ToolRun;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code docker/docker-compose.yml} and the files it mounts, checked without a Docker engine: Debian's
 * docker-compose parses it, every file it refers to is in the repository, Grafana's provisioning finds the dashboard
 * and its data source, and Prometheus scrapes every Herald node with a configuration {@code promtool} accepts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Docker Compose deployment files")
class ComposeFileTest {

  private Path root;
  private ComposeModel compose;

  @BeforeAll
  void resolve() throws Exception {
    assertThat(DeployFiles.DOCKER_COMPOSE).as("docker-compose (Debian package; run scripts/test-tools.sh)").isExecutable();
    root = DeployFiles.root();
    compose = ComposeModel.resolve(Map.of());
  }

  @Test
  @DisplayName("docker-compose config -q accepts the compose file")
  void composeParses() throws Exception {
    ToolRun run = DeployFiles.compose(Map.of(), "config", "-q");
    assertThat(run.exitCode()).as("docker-compose config -q said:%n%s", run.output()).isZero();
  }

  @Test
  @DisplayName("three Herald nodes, PostgreSQL, Kafka, RabbitMQ, Redis, NATS, Prometheus and Grafana, images pinned")
  void servicesAndImages() {
    assertThat(compose.heraldNodes()).containsExactly("herald-1", "herald-2", "herald-3");
    assertThat(compose.serviceNames()).contains("postgres", "kafka", "rabbitmq", "redis", "nats", "prometheus", "grafana");
    for (String name : compose.serviceNames()) {
      Object image = compose.service(name).get("image");
      assertThat(image).as("image of %s", name).isInstanceOf(String.class);
      assertThat((String) image).as("image of %s has a pinned tag", name).matches("[a-z0-9./_-]+:v?[0-9][A-Za-z0-9._-]*");
    }
    assertThat(compose.service("kafka").get("image").toString()).startsWith("apache/kafka:");
    assertThat(compose.environment("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
    assertThat(String.valueOf(compose.service("nats").get("command"))).contains("--jetstream");
  }

  @Test
  @DisplayName("every file the compose file and the Dockerfile refer to exists in the repository")
  void referencedFilesExist() {
    List<Path> checked = new ArrayList<>();
    for (String name : compose.serviceNames()) {
      if (compose.service(name).get("build") instanceof Map<?, ?> build) {
        Path context = Path.of(build.get("context").toString());
        assertThat(context).as("build context of %s", name).isDirectory().startsWith(root);
        Path dockerfile = context.resolve(build.get("dockerfile").toString());
        assertThat(dockerfile).as("Dockerfile of %s", name).isRegularFile();
        checked.add(dockerfile);
        checked.addAll(copySources(context, dockerfile));
      }
      compose.bindMounts(name).forEach((target, source) -> {
        assertThat(source).as("%s mounts %s at %s", name, source, target).exists().startsWith(root);
        checked.add(source);
      });
    }
    assertThat(checked).contains(root.resolve(ComposeModel.HERALD_DOCKERFILE),
        root.resolve("docker/prometheus/prometheus.yml"), root.resolve("docker/grafana/provisioning"),
        root.resolve("docker/grafana/dashboards"), root.resolve("config"));
  }

  /** The sources of the Dockerfile's COPY lines from the build context: each exists and .dockerignore keeps it. */
  private List<Path> copySources(Path context, Path dockerfile) {
    List<String> ignored = ignoredPaths(context);
    List<Path> sources = new ArrayList<>();
    for (String line : DeployFiles.read(dockerfile).split("\n")) {
      List<String> words = List.of(line.strip().split("\\s+"));
      if (words.isEmpty() || !words.get(0).equals("COPY") || words.stream().anyMatch(w -> w.startsWith("--from"))) {
        continue;
      }
      List<String> args = words.stream().skip(1).filter(w -> !w.startsWith("--")).toList();
      for (String source : args.subList(0, args.size() - 1)) {
        String relative = source.replaceAll("/+$", "").replaceFirst("^\\./", "");
        Path path = context.resolve(relative);
        assertThat(path).as("COPY %s in %s", source, dockerfile.getFileName()).exists();
        assertThat(ignored).as("COPY %s is not excluded by .dockerignore", source)
            .noneMatch(i -> relative.equals(i) || relative.startsWith(i + "/"));
        sources.add(path);
      }
    }
    assertThat(sources).as("COPY lines of %s", dockerfile).isNotEmpty();
    return sources;
  }

  /** The plain paths (no wildcards) .dockerignore excludes. */
  private static List<String> ignoredPaths(Path context) {
    Path file = context.resolve(".dockerignore");
    if (!Files.isRegularFile(file)) {
      return List.of();
    }
    return Stream.of(DeployFiles.read(file).split("\n")).map(String::strip)
        .filter(l -> !l.isEmpty() && !l.startsWith("#") && !l.startsWith("!") && !l.contains("*"))
        .map(l -> l.replaceAll("/+$", "").replaceFirst("^/", "")).toList();
  }

  @Test
  @DisplayName("Grafana's provisioning loads the mounted dashboard, whose data source it provisions and points at Prometheus")
  void grafanaProvisioning() throws Exception {
    Path provisioning = compose.hostPath("grafana", "/etc/grafana/provisioning");
    assertThat(provisioning).as("grafana mounts its provisioning").isNotNull().isDirectory();

    Set<String> dataSourceUids = new LinkedHashSet<>();
    for (Path file : yamlFiles(provisioning.resolve("datasources"))) {
      for (Object entry : (List<?>) DeployFiles.yaml(file).get("datasources")) {
        Map<String, Object> source = ComposeModel.map(entry, "data source in " + file);
        dataSourceUids.add(source.get("uid").toString());
        URI url = URI.create(source.get("url").toString());
        assertThat(compose.serviceNames()).as("data source %s points at a compose service", url).contains(url.getHost());
      }
    }
    assertThat(dataSourceUids).isNotEmpty();

    List<Path> dashboards = new ArrayList<>();
    for (Path file : yamlFiles(provisioning.resolve("dashboards"))) {
      for (Object entry : (List<?>) DeployFiles.yaml(file).get("providers")) {
        Map<String, Object> provider = ComposeModel.map(entry, "dashboard provider in " + file);
        String path = ComposeModel.map(provider.get("options"), "options of " + file).get("path").toString();
        Path host = compose.hostPath("grafana", path);
        assertThat(host).as("the dashboards path %s is mounted into grafana", path).isNotNull().isDirectory();
        try (Stream<Path> files = Files.list(host)) {
          files.filter(f -> f.toString().endsWith(".json")).forEach(dashboards::add);
        }
      }
    }
    assertThat(dashboards).contains(root.resolve(DeployFiles.DASHBOARD));
    String home = compose.environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
    if (home != null) {
      assertThat(compose.hostPath("grafana", home)).as("home dashboard %s", home).isIn(dashboards);
    }
    for (Path dashboard : dashboards) {
      Set<String> used = new LinkedHashSet<>();
      collectDataSourceUids(new JsonObject(DeployFiles.read(dashboard)), used);
      assertThat(used).as("data sources %s uses", dashboard.getFileName()).isNotEmpty();
      assertThat(dataSourceUids).as("provisioned data sources").containsAll(used);
    }
  }

  private static void collectDataSourceUids(Object node, Set<String> uids) {
    if (node instanceof JsonObject object) {
      if (object.getValue("datasource") instanceof JsonObject ds && !"grafana".equals(ds.getString("type"))) {
        uids.add(ds.getString("uid"));
      }
      object.forEach(e -> collectDataSourceUids(e.getValue(), uids));
    } else if (node instanceof JsonArray array) {
      array.forEach(e -> collectDataSourceUids(e, uids));
    }
  }

  private static List<Path> yamlFiles(Path dir) throws IOException {
    assertThat(dir).isDirectory();
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  @Test
  @DisplayName("Prometheus scrapes /metrics of every Herald node, and each node's health check asks /health/ready")
  void prometheusScrapesEveryNode() {
    Map<String, Object> prometheus = compose.service("prometheus");
    String configFile = ((List<?>) prometheus.get("command")).stream().map(Object::toString)
        .filter(a -> a.startsWith("--config.file=")).map(a -> a.substring("--config.file=".length()))
        .findFirst().orElse("/etc/prometheus/prometheus.yml");
    Path config = compose.hostPath("prometheus", configFile);
    assertThat(config).as("prometheus mounts %s", configFile).isEqualTo(root.resolve("docker/prometheus/prometheus.yml"));

    Set<String> targets = new LinkedHashSet<>();
    for (Object entry : (List<?>) DeployFiles.yaml(config).get("scrape_configs")) {
      Map<String, Object> job = ComposeModel.map(entry, "scrape config");
      if ("/metrics".equals(job.getOrDefault("metrics_path", "/metrics"))) {
        for (Object statics : (List<?>) job.get("static_configs")) {
          targets.addAll(((List<?>) ComposeModel.map(statics, "static config").get("targets")).stream()
              .map(Object::toString).toList());
        }
      }
    }
    for (String node : compose.heraldNodes()) {
      String port = compose.environment(node).getOrDefault("HERALD_HTTP_PORT", "8080");
      assertThat(targets).as("scrape targets").contains(node + ":" + port);
      Map<String, Object> health = ComposeModel.map(compose.service(node).get("healthcheck"), "healthcheck of " + node);
      assertThat(String.join(" ", ((List<?>) health.get("test")).stream().map(Object::toString).toList()))
          .as("health check of %s", node).contains("127.0.0.1:" + port + "/health/ready");
    }
  }

  @Test
  @DisplayName("promtool check config accepts docker/prometheus/prometheus.yml")
  void prometheusConfigPassesPromtool() throws Exception {
    assertThat(DeployFiles.PROMTOOL).as("promtool (Debian package prometheus; run scripts/test-tools.sh)").isExecutable();
    ToolRun run = DeployFiles.run(Map.of(), DeployFiles.PROMTOOL.toString(), "check", "config",
        "docker/prometheus/prometheus.yml");
    assertThat(run.exitCode()).as("promtool check config said:%n%s", run.output()).isZero();
  }
}
