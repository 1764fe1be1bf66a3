package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.testing.PackageGraph;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the shared module depend on each other, directly or through others: dependencies point down only
 * (event, store, relay and broker, then delivery, projection and saga). Read from the sources ({@link PackageGraph}):
 * imports and fully qualified references outside comments and string literals.
 */
@DisplayName("The shared module's packages have no dependency cycle")
class SharedPackageCyclesTest {

  private static final Path SOURCES = Path.of("src/main/java");

  /** @return the concept a package belongs to: io.herald.store.pg counts as io.herald.store */
  static String concept(String packageName) {
    String[] segments = packageName.split("\\.");
    return segments.length <= 3 ? packageName : String.join(".", segments[0], segments[1], segments[2]);
  }

  private static List<String> problems(PackageGraph graph) {
    List<SortedSet<String>> cycles = graph.cycles();
    return cycles.stream().map(graph::describe).collect(Collectors.toList());
  }

  @Test
  @DisplayName("a package counts with its sub-packages as one concept")
  void concepts() {
    assertThat(concept("io.herald.store.pg")).isEqualTo("io.herald.store");
    assertThat(concept("io.herald.broker")).isEqualTo("io.herald.broker");
  }

  @Test
  @DisplayName("no package of shared depends on itself through others")
  void noPackageCycles() {
    PackageGraph graph = PackageGraph.scan(SOURCES);
    assertThat(graph.packages()).as("sources read from %s", SOURCES.toAbsolutePath()).contains("io.herald.store.pg");
    assertThat(problems(graph)).as("package cycles in shared").isEmpty();
  }

  @Test
  @DisplayName("no concept of shared (a package with its sub-packages) depends on itself through others")
  void noConceptCycles() {
    PackageGraph graph = PackageGraph.scan(SOURCES).grouped(SharedPackageCyclesTest::concept);
    assertThat(graph.packages()).as("sources read from %s", SOURCES.toAbsolutePath()).contains("io.herald.store");
    assertThat(problems(graph)).as("cycles between the concepts of shared").isEmpty();
  }
}
