package io.herald;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * No two packages of the shared module depend on each other, directly or through others: dependencies point down only
 * (event, store, relay and broker, then delivery, projection and saga). Read from the sources: imports and fully
 * qualified references outside comments and string literals.
 */
@DisplayName("The shared module's packages have no dependency cycle")
class SharedPackageCyclesTest {

  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package\\s+([\\w.]+)\\s*;");
  /** A reference to a type of io.herald: the package is every lower-case segment before the first capitalised one. */
  private static final Pattern REFERENCE = Pattern.compile("\\bio\\.herald((?:\\.[a-z_][\\w]*)*)\\.[A-Z]");
  private static final Pattern COMMENTS_AND_STRINGS =
      Pattern.compile("/\\*.*?\\*/|//[^\\n]*|\"\"\"[\\s\\S]*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])*'",
          Pattern.DOTALL);

  /** @return the concept a package belongs to: io.herald.store.pg counts as io.herald.store */
  static String concept(String packageName) {
    String[] segments = packageName.split("\\.");
    return segments.length <= 3 ? packageName : String.join(".", segments[0], segments[1], segments[2]);
  }

  /** @return package (as named by {@code granularity}) → the other io.herald packages its sources refer to */
  static Map<String, Set<String>> dependencies(Path root, UnaryOperator<String> granularity) {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String code = COMMENTS_AND_STRINGS.matcher(Files.readString(file)).replaceAll(" ");
        Matcher declared = PACKAGE.matcher(code);
        if (!declared.find()) {
          continue;
        }
        String from = granularity.apply(declared.group(1));
        Set<String> targets = graph.computeIfAbsent(from, p -> new TreeSet<>());
        Matcher reference = REFERENCE.matcher(code);
        while (reference.find()) {
          String to = granularity.apply("io.herald" + reference.group(1));
          if (!to.equals(from)) {
            targets.add(to);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  /** @return each set of packages that depend on each other (Tarjan's strongly connected components of size > 1) */
  static List<List<String>> cycles(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    List<List<String>> found = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, found);
      }
    }
    return found;
  }

  private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, List<List<String>> found) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.push(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, found);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      List<String> component = new ArrayList<>();
      String member;
      do {
        member = stack.pop();
        component.add(member);
      } while (!member.equals(node));
      if (component.size() > 1) {
        found.add(component.stream().sorted().toList());
      }
    }
  }

  /** @return each package of {@code cycle} with the packages of the cycle it refers to, for a message that names the edges */
  static String describe(List<String> cycle, Map<String, Set<String>> graph) {
    StringBuilder text = new StringBuilder("cycle between " + cycle + ":");
    for (String from : cycle) {
      List<String> inside = graph.get(from).stream().filter(cycle::contains).toList();
      text.append("\n  ").append(from).append(" -> ").append(inside);
    }
    return text.toString();
  }

  @Test
  @DisplayName("the detector finds a cycle through three packages and none in a chain")
  void detectorFindsCycles() {
    assertThat(concept("io.herald.store.pg")).isEqualTo("io.herald.store");
    assertThat(concept("io.herald.broker")).isEqualTo("io.herald.broker");
    Map<String, Set<String>> ring = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycles(new TreeMap<>(ring))).containsExactly(List.of("a", "b", "c"));
    Map<String, Set<String>> chain = Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of());
    assertThat(cycles(new TreeMap<>(chain))).isEmpty();
  }

  @Test
  @DisplayName("no package of shared depends on itself through others")
  void noPackageCycles() {
    Map<String, Set<String>> graph = dependencies(SOURCES, UnaryOperator.identity());
    assertThat(graph).as("sources read from %s", SOURCES.toAbsolutePath()).containsKey("io.herald.store.pg");
    List<String> problems = cycles(graph).stream().map(cycle -> describe(cycle, graph)).toList();
    assertThat(problems).as("package cycles in shared").isEmpty();
  }

  @Test
  @DisplayName("no concept of shared (a package with its sub-packages) depends on itself through others")
  void noConceptCycles() {
    Map<String, Set<String>> graph = dependencies(SOURCES, SharedPackageCyclesTest::concept);
    assertThat(graph).as("sources read from %s", SOURCES.toAbsolutePath()).containsKey("io.herald.store");
    List<String> problems = cycles(graph).stream().map(cycle -> describe(cycle, graph)).toList();
    assertThat(problems).as("cycles between the concepts of shared").isEmpty();
  }
}
