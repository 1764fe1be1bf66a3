package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.PackageGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The application's packages depend on each other one way only: services on {@code io.herald.service}, the launcher
 * on everything it wires, and nothing back on the launcher (DESIGN.md, Layout).
 */
class PackageCyclesTest {

  private static final String LAUNCHER = "io.herald.launcher";

  private final PackageGraph graph = PackageGraph.scan(Path.of("src/main/java"));

  @Test
  void noCycleBetweenPackages() {
    assertThat(graph.packages()).contains(LAUNCHER, "io.herald.service", "io.herald.order", "io.herald.ordersaga");

    List<SortedSet<String>> cycles = graph.cyclesBeyond(List.of());

    assertThat(cycles)
        .as(() -> "packages of verticles that use each other:\n  "
            + cycles.stream().map(graph::describe).collect(Collectors.joining("\n  ")))
        .isEmpty();
  }

  @Test
  void noServiceImportsTheLauncher() {
    Map<String, String> offenders = new TreeMap<>();
    for (String pkg : graph.packages()) {
      if (isLauncher(pkg)) {
        continue;
      }
      graph.uses(pkg).stream().filter(PackageCyclesTest::isLauncher)
          .forEach(used -> offenders.put(pkg + " -> " + used, graph.evidence(pkg, used)));
    }
    assertThat(graph.packages()).contains("io.herald.user", "io.herald.gateway", "io.herald.bridge", "io.herald.metrics");
    assertThat(offenders).as("packages that use the launcher, which only wires them (with a file that does)").isEmpty();
  }

  private static boolean isLauncher(String pkg) {
    return pkg.equals(LAUNCHER) || pkg.startsWith(LAUNCHER + ".");
  }
}
