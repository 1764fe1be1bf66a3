package io.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every relative link in README.md, docs/*.md and bench/README.md leads to a file that exists, and to a heading in it. */
@DisplayName("Relative links in the docs resolve")
class DocLinksTest {

  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
  private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

  /** @return the link targets of a page, outside fenced blocks and inline code */
  static List<String> links(String markdown) {
    List<String> targets = new ArrayList<>();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (fenced) {
        continue;
      }
      Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
      while (link.find()) {
        targets.add(link.group(1));
      }
    }
    return targets;
  }

  /** @return the anchors GitHub gives the headings of a page */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new LinkedHashSet<>();
    boolean fenced = false;
    for (String line : markdown.split("\n", -1)) {
      if (line.strip().startsWith("```")) {
        fenced = !fenced;
      } else if (!fenced && line.startsWith("#")) {
        String title = line.replaceFirst("^#+\\s*", "").strip();
        anchors.add(title.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  /** @return what is wrong with {@code target} as written in {@code page}, or null when it resolves */
  static String problem(Path page, String target) {
    if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
      return null;   // http:, https:, mailto: — not checked here
    }
    int hash = target.indexOf('#');
    String file = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
    if (!Files.exists(resolved)) {
      return "no file " + resolved;
    }
    if (anchor != null && resolved.toString().endsWith(".md")
        && !anchors(DocFiles.read(resolved)).contains(anchor)) {
      return "no heading #" + anchor + " in " + resolved.getFileName();
    }
    return null;
  }

  @Test
  @DisplayName("each relative link leads to an existing file, and each #anchor to a heading of that page")
  void relativeLinksResolve() {
    List<Path> pages = new ArrayList<>(DocFiles.pages());
    pages.add(DocFiles.root().resolve("bench/README.md"));
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path page : pages) {
      for (String target : links(DocFiles.read(page))) {
        checked++;
        String problem = problem(page, target);
        if (problem != null) {
          broken.add(DocFiles.root().relativize(page) + ": (" + target + "): " + problem);
        }
      }
    }
    assertThat(checked).as("links checked").isPositive();
    assertThat(broken).as("broken links").isEmpty();
  }

  @Test
  @DisplayName("a link to a missing file or heading is reported; links in code are not links")
  void brokenLinksAreCaught() {
    Path readme = DocFiles.root().resolve("README.md");
    assertThat(problem(readme, "docs/no-such-page.md")).startsWith("no file");
    assertThat(problem(readme, "docs/brokers.md#no-such-heading")).isEqualTo("no heading #no-such-heading in brokers.md");
    assertThat(problem(readme, "docs/brokers.md#cloudevents-on-the-wire")).isNull();
    assertThat(links("see [a](x.md) and `[b](y.md)`\n```\n[c](z.md)\n```\n")).containsExactly("x.md");
    assertThat(anchors("## Publishing to the brokers (`bench`)\n## Store and codec: results"))
        .containsExactly("publishing-to-the-brokers-bench", "store-and-codec-results");
  }
}
