package io.herald.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The repository's documentation files and example sources, found from the module the tests run in. */
final class DocFiles {

  private DocFiles() {
  }

  /** @return the checkout's root: the first directory up from the working directory holding README.md and docs/ */
  static Path root() {
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("docs"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no directory with README.md and docs/ above " + Paths.get("").toAbsolutePath());
  }

  /** @return README.md and every docs/*.md, README first */
  static List<Path> pages() {
    Path root = root();
    List<Path> pages = new ArrayList<>();
    pages.add(root.resolve("README.md"));
    pages.addAll(list(root.resolve("docs"), ".md"));
    return pages;
  }

  /** @return every .java file under the example packages of both modules' test trees */
  static List<Path> exampleSources() {
    Path root = root();
    List<Path> sources = new ArrayList<>();
    for (String dir : List.of("shared/src/test/java/io/herald/examples", "verticles/src/test/java/io/herald/examples")) {
      Path path = root.resolve(dir);
      if (Files.isDirectory(path)) {
        sources.addAll(list(path, ".java"));
      }
    }
    return sources;
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static List<Path> list(Path dir, String suffix) {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(suffix)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
