package io.herald.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageGraphTest {

  @TempDir
  Path root;

  private void source(String pkg, String name, String body) throws IOException {
    Path dir = root.resolve(pkg.replace('.', '/'));
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(name + ".java"), "package " + pkg + ";\n\n" + body);
  }

  @Test
  void findsACycleThroughImportsAndQualifiedNamesAndNamesItsFiles() throws IOException {
    source("x.a", "A", "import x.b.B;\nclass A { B b; }\n");
    source("x.b", "B", "class B { x.c.C c; }\n");
    source("x.c", "C", "import static x.a.A.run;\nclass C { }\n");
    source("x.d", "D", "import x.a.*;\nclass D { }\n");

    PackageGraph graph = PackageGraph.scan(root);

    assertThat(graph.uses("x.d")).containsExactly("x.a");
    assertThat(graph.cycles()).containsExactly(new TreeSet<>(Set.of("x.a", "x.b", "x.c")));
    assertThat(graph.describe(graph.cycles().get(0)))
        .contains("x.a -> x.b  (x/a/A.java)", "x.b -> x.c  (x/b/B.java)", "x.c -> x.a  (x/c/C.java)");
  }

  @Test
  void commentsAndStringsAreNoDependency() throws IOException {
    source("x.a", "A", "import x.b.B;\nclass A { B b; }\n");
    source("x.b", "B", "/** See {@link x.a.A}. */\nclass B {\n  // x.a.A\n  String s = \"x.a.A\";\n"
        + "  String t = \"\"\"\n    x.a.A\n    \"\"\";\n  char q = '\"'; x.c.C c;\n}\n");
    source("x.c", "C", "class C { }\n");

    PackageGraph graph = PackageGraph.scan(root);

    assertThat(graph.uses("x.b")).containsExactly("x.c");
    assertThat(graph.cycles()).isEmpty();
  }

  @Test
  void aKnownCycleMayStayButNotGrow() throws IOException {
    source("x.a", "A", "class A { x.b.B b; }\n");
    source("x.b", "B", "class B { x.a.A a; x.c.C c; }\n");
    source("x.c", "C", "class C { }\n");
    assertThat(PackageGraph.scan(root).cyclesBeyond(List.of(Set.of("x.a", "x.b")))).isEmpty();

    source("x.c", "C", "class C { x.a.A a; }\n");
    assertThat(PackageGraph.scan(root).cyclesBeyond(List.of(Set.of("x.a", "x.b"))))
        .containsExactly(new TreeSet<>(Set.of("x.a", "x.b", "x.c")));
  }

  @Test
  void groupedPackagesShowACycleThroughSubPackages() throws IOException {
    // x.store.pg uses x.broker and x.broker uses x.store: no cycle between packages, one between the two concepts
    source("x.broker", "Relay", "class Relay { x.store.Store s; }\n");
    source("x.store", "Store", "class Store { }\n");
    source("x.store.pg", "PgLease", "class PgLease { x.broker.Relay r; }\n");

    PackageGraph graph = PackageGraph.scan(root);
    assertThat(graph.cycles()).isEmpty();

    PackageGraph concepts = graph.grouped(p -> p.startsWith("x.store") ? "x.store" : p);
    assertThat(concepts.packages()).containsExactly("x.broker", "x.store");
    assertThat(concepts.cycles()).containsExactly(new TreeSet<>(Set.of("x.broker", "x.store")));
    assertThat(concepts.describe(concepts.cycles().get(0))).contains("x.store -> x.broker  (x/store/pg/PgLease.java)");
  }
}
