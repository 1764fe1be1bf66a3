package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Packages of the shared library depend on each other one way only (DESIGN.md: dependencies pointing down). Javadoc
 * links do not count: {@code delivery} links {@code delivery.pg.PgInbox} and {@code projection.document} links
 * {@code projection.pg.PgDocumentStore} in comments only.
 */
class PackageCyclesTest {

  @Test
  void noCycleBetweenPackages() {
    PackageGraph graph = PackageGraph.scan(Path.of("src/main/java"));
    assertThat(graph.packages()).contains("io.herald.event", "io.herald.store", "io.herald.saga");

    List<SortedSet<String>> cycles = graph.cycles();

    assertThat(cycles)
        .as(() -> "packages of shared that use each other:\n  "
            + cycles.stream().map(graph::describe).collect(Collectors.joining("\n  ")))
        .isEmpty();
  }
}
