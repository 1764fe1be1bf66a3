package io.herald.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of a source tree uses which other package of the same tree, read from the sources: imports (static and
 * wildcard too) and fully qualified names in code. Comments and string literals are left out, so a javadoc link or a
 * log message is no dependency.
 */
public final class PackageGraph {

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  /** A qualified name: lower-case segments, then a type (upper case) or a wildcard. */
  private static final Pattern QUALIFIED = Pattern.compile("\\b([a-z_][\\w]*(?:\\.[a-z_][\\w]*)+)\\.(?:[A-Z]\\w*|\\*)");

  /** package → used package → a source file that uses it (the first one found, for the message). */
  private final Map<String, Map<String, String>> uses;

  private PackageGraph(Map<String, Map<String, String>> uses) {
    this.uses = uses;
  }

  /** Reads every {@code .java} file under {@code sourceRoot}, e.g. {@code src/main/java}. */
  public static PackageGraph scan(Path sourceRoot) {
    if (!Files.isDirectory(sourceRoot)) {
      throw new IllegalArgumentException("no source directory " + sourceRoot.toAbsolutePath());
    }
    Map<Path, String> packageOf = new TreeMap<>();
    Map<Path, String> code = new HashMap<>();
    try (Stream<Path> files = Files.walk(sourceRoot)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
        String text = withoutCommentsAndStrings(Files.readString(file));
        Matcher pkg = PACKAGE.matcher(text);
        if (pkg.find()) {
          packageOf.put(file, pkg.group(1));
          code.put(file, text);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sources under " + sourceRoot, e);
    }
    Set<String> packages = new TreeSet<>(packageOf.values());
    Map<String, Map<String, String>> uses = new TreeMap<>();
    packages.forEach(p -> uses.put(p, new TreeMap<>()));
    packageOf.forEach((file, pkg) -> {
      Matcher name = QUALIFIED.matcher(code.get(file));
      while (name.find()) {
        String used = longestKnownPackage(name.group(1), packages);
        if (used != null && !used.equals(pkg)) {
          uses.get(pkg).putIfAbsent(used, sourceRoot.relativize(file).toString());
        }
      }
    });
    return new PackageGraph(uses);
  }

  /** {@code io.herald.gateway.feed} for {@code io.herald.gateway.feed.FeedHub.Group}'s qualifier, if it is in the tree. */
  private static String longestKnownPackage(String qualifier, Set<String> packages) {
    String candidate = qualifier;
    while (true) {
      if (packages.contains(candidate)) {
        return candidate;
      }
      int dot = candidate.lastIndexOf('.');
      if (dot < 0) {
        return null;
      }
      candidate = candidate.substring(0, dot);
    }
  }

  /**
   * @param group maps a package to the unit it belongs to, e.g. {@code io.herald.store.pg} to {@code io.herald.store}
   * @return the graph between those units: a unit uses another when one of its packages uses one of the other's
   */
  public PackageGraph grouped(java.util.function.UnaryOperator<String> group) {
    Map<String, Map<String, String>> merged = new TreeMap<>();
    uses.forEach((from, targets) -> {
      String unit = group.apply(from);
      Map<String, String> used = merged.computeIfAbsent(unit, k -> new TreeMap<>());
      targets.forEach((to, file) -> {
        String other = group.apply(to);
        if (!other.equals(unit)) {
          used.putIfAbsent(other, file);
        }
      });
    });
    return new PackageGraph(merged);
  }

  public SortedSet<String> packages() {
    return new TreeSet<>(uses.keySet());
  }

  /** @return the packages of the tree that {@code pkg} uses */
  public SortedSet<String> uses(String pkg) {
    return new TreeSet<>(uses.getOrDefault(pkg, Map.of()).keySet());
  }

  /** @return a file of {@code from} that uses {@code to}, or null */
  public String evidence(String from, String to) {
    return uses.getOrDefault(from, Map.of()).get(to);
  }

  /** @return every set of packages that use each other, directly or through others (strongly connected, two or more) */
  public List<SortedSet<String>> cycles() {
    return new Tarjan().run();
  }

  /**
   * @param known cycles accepted for now, each as its set of packages
   * @return the cycles that are not inside a known one: new cycles, and known ones that took in more packages
   */
  public List<SortedSet<String>> cyclesBeyond(List<Set<String>> known) {
    return cycles().stream().filter(cycle -> known.stream().noneMatch(k -> k.containsAll(cycle))).toList();
  }

  /**
   * One cycle through the first package of {@code component}, each step with a file that makes it, e.g.
   * {@code io.herald.a -> io.herald.b (b/B.java uses ...)}.
   */
  public String describe(SortedSet<String> component) {
    String start = component.first();
    Map<String, String> cameFrom = new LinkedHashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    String last = null;
    while (!queue.isEmpty() && last == null) {
      String at = queue.poll();
      for (String next : uses(at)) {
        if (!component.contains(next)) {
          continue;
        }
        if (next.equals(start)) {
          last = at;
          break;
        }
        if (!cameFrom.containsKey(next)) {
          cameFrom.put(next, at);
          queue.add(next);
        }
      }
    }
    List<String> path = new ArrayList<>();
    for (String p = last; p != null && !p.equals(start); p = cameFrom.get(p)) {
      path.add(0, p);
    }
    path.add(0, start);
    path.add(start);
    StringBuilder text = new StringBuilder("cycle among ").append(component).append(":");
    for (int i = 0; i + 1 < path.size(); i++) {
      text.append("\n    ").append(path.get(i)).append(" -> ").append(path.get(i + 1))
          .append("  (").append(evidence(path.get(i), path.get(i + 1))).append(")");
    }
    return text.toString();
  }

  /** Drops comments, string and char literals and text blocks, keeping line breaks. */
  static String withoutCommentsAndStrings(String source) {
    StringBuilder out = new StringBuilder(source.length());
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        while (i < n && source.charAt(i) != '\n') {
          i++;
        }
      } else if (source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = skip(source, i, end < 0 ? n : end + 2, out);
      } else if (source.startsWith("\"\"\"", i)) {
        int end = source.indexOf("\"\"\"", i + 3);
        i = skip(source, i, end < 0 ? n : end + 3, out);
        out.append("\"\"");
      } else if (c == '"' || c == '\'') {
        int j = i + 1;
        while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
          j += source.charAt(j) == '\\' ? 2 : 1;
        }
        i = Math.min(j + 1, n);
        out.append(c).append(c);
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Skips {@code [from, to)}, keeping its line breaks so that nothing else moves to another line. */
  private static int skip(String source, int from, int to, StringBuilder out) {
    for (int k = from; k < to; k++) {
      if (source.charAt(k) == '\n') {
        out.append('\n');
      }
    }
    return to;
  }

  /** Strongly connected components (Tarjan), in a stable order. */
  private final class Tarjan {
    private final Map<String, Integer> index = new HashMap<>();
    private final Map<String, Integer> low = new HashMap<>();
    private final Deque<String> stack = new ArrayDeque<>();
    private final Set<String> onStack = new TreeSet<>();
    private final List<SortedSet<String>> components = new ArrayList<>();

    List<SortedSet<String>> run() {
      for (String pkg : uses.keySet()) {
        if (!index.containsKey(pkg)) {
          visit(pkg);
        }
      }
      components.sort((a, b) -> a.first().compareTo(b.first()));
      return components;
    }

    private void visit(String pkg) {
      index.put(pkg, index.size());
      low.put(pkg, index.get(pkg));
      stack.push(pkg);
      onStack.add(pkg);
      for (String next : uses(pkg)) {
        if (!index.containsKey(next)) {
          visit(next);
          low.put(pkg, Math.min(low.get(pkg), low.get(next)));
        } else if (onStack.contains(next)) {
          low.put(pkg, Math.min(low.get(pkg), index.get(next)));
        }
      }
      if (low.get(pkg).equals(index.get(pkg))) {
        SortedSet<String> component = new TreeSet<>();
        String member;
        do {
          member = stack.pop();
          onStack.remove(member);
          component.add(member);
        } while (!member.equals(pkg));
        if (component.size() > 1) {
          components.add(component);
        }
      }
    }
  }
}
