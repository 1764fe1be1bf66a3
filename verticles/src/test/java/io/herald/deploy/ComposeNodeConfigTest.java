package io.herald.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.launcher.ServiceCatalogue;
import io.herald.launcher.ServiceDefinition;
import io.herald.launcher.config.ConfigLoader;
import io.herald.launcher.config.HeraldConfig;
import io.herald.launcher.config.LoadedConfig;
import io.herald.launcher.config.StoreType;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each Herald node of {@code docker/docker-compose.yml} gets a configuration Herald accepts: its environment, as
 * compose resolves it, goes through the launcher's own config loader (which refuses unknown keys and bad values)
 * for every broker the file can select; and together the nodes form one cluster that runs every service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("Docker Compose: the Herald nodes' configuration")
class ComposeNodeConfigTest {

  private Vertx vertx;

  @BeforeAll
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    Futures.await(vertx.close());
  }

  @ParameterizedTest(name = "HERALD_BROKER={0}")
  @ValueSource(strings = {"kafka", "rabbitmq", "redis", "nats"})
  @DisplayName("with HERALD_BROKER set to each broker, every node's environment loads as a valid configuration")
  void environmentsLoad(String broker) throws Exception {
    ComposeModel compose = ComposeModel.resolve(Map.of("HERALD_BROKER", broker));
    for (String node : compose.heraldNodes()) {
      Map<String, String> env = compose.environment(node);
      LoadedConfig loaded = Futures.await(new ConfigLoader(vertx, env, Map.of()).load(List.of(), null));
      HeraldConfig config = loaded.typed();
      assertThat(config.broker().type().configName()).as("broker of %s", node).isEqualTo(broker);
      assertThat(config.store().type()).as("store of %s", node).isEqualTo(StoreType.POSTGRES);
      assertThat(compose.serviceNames()).as("PostgreSQL host of %s", node).contains(config.store().postgres().host());
      assertThat(config.http().host()).as("HTTP host of %s", node).isEqualTo("0.0.0.0");
      assertThat(ServiceCatalogue.standard().select(config.services())).as("services of %s", node).isNotEmpty();
    }
  }

  @Test
  @DisplayName("the nodes join one cluster by name, each advertising its own host, and run every service between them")
  void oneClusterRunsEveryService() throws Exception {
    ComposeModel compose = ComposeModel.resolve(Map.of());
    List<String> nodes = compose.heraldNodes();
    List<String> deployed = new ArrayList<>();
    Set<String> clusterNames = new LinkedHashSet<>();
    for (String node : nodes) {
      Map<String, String> env = compose.environment(node);
      assertThat(env).as("environment of %s", node).containsEntry("HERALD_CLUSTER_ENABLED", "true")
          .containsEntry("HERALD_CLUSTER_HOST", node);
      assertThat(compose.service(node).get("hostname")).as("hostname of %s", node).isEqualTo(node);
      assertThat(Arrays.asList(env.get("HERALD_CLUSTER_MEMBERS").split(","))).as("cluster members").containsAll(nodes);
      clusterNames.add(env.get("HERALD_CLUSTER_NAME"));
      deployed.addAll(Arrays.asList(env.get("HERALD_SERVICES").split(",")));
    }
    assertThat(clusterNames).as("cluster names").hasSize(1);
    assertThat(deployed).as("services across the nodes")
        .containsExactlyInAnyOrderElementsOf(ServiceCatalogue.standard().all().stream().map(ServiceDefinition::name).toList());
  }
}
