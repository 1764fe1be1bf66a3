package io.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every ```java block of README.md and docs/*.md appears, whitespace aside, in an example source that a test
 * compiles and runs, so a sample in the docs cannot drift from code that works. YAML and shell blocks are not checked.
 */
@DisplayName("Java samples in the docs come from compiled examples")
class DocSnippetsTest {

  /** A ```java block: where it is and what it says. */
  record Snippet(Path page, int line, String code) {
    @Override
    public String toString() {
      return (page.isAbsolute() ? DocFiles.root().relativize(page) : page) + ":" + line;
    }
  }

  static List<Snippet> javaBlocks(Path page, String text) {
    List<Snippet> blocks = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      if (lines[i].strip().equals("```java")) {
        int start = i + 2;   // 1-based line of the first line of code
        StringBuilder code = new StringBuilder();
        i++;
        while (i < lines.length && !lines[i].strip().equals("```")) {
          code.append(lines[i]).append('\n');
          i++;
        }
        if (i == lines.length) {
          throw new AssertionError(page + ":" + start + ": a ```java block is never closed");
        }
        blocks.add(new Snippet(page, start, code.toString()));
      }
    }
    return blocks;
  }

  static String normalized(String code) {
    return code.replaceAll("\\s+", " ").strip();
  }

  /** @return the example source holding {@code snippet}, whitespace-normalized, if any */
  static Optional<Path> sourceOf(String snippet, List<Path> sources) {
    String wanted = normalized(snippet);
    return sources.stream().filter(source -> normalized(DocFiles.read(source)).contains(wanted)).findFirst();
  }

  private static List<Snippet> allBlocks() {
    List<Snippet> blocks = new ArrayList<>();
    for (Path page : DocFiles.pages()) {
      blocks.addAll(javaBlocks(page, DocFiles.read(page)));
    }
    return blocks;
  }

  @Test
  @DisplayName("each ```java block of README.md and docs/*.md is found in an example source")
  void everyJavaBlockIsCompiledCode() {
    List<Path> sources = DocFiles.exampleSources();
    List<Snippet> blocks = allBlocks();
    assertThat(blocks).as("java blocks in the docs").isNotEmpty();

    List<String> drifted = new ArrayList<>();
    for (Snippet block : blocks) {
      if (block.code().isBlank()) {
        drifted.add(block + " (empty block)");
      } else if (sourceOf(block.code(), sources).isEmpty()) {
        drifted.add(block + " starting '" + block.code().lines().findFirst().orElse("") + "'");
      }
    }
    assertThat(drifted).as("java blocks found in no example source under io/herald/examples").isEmpty();
  }

  @Test
  @DisplayName("a sample that differs from the example by one token is caught; indentation and line breaks are not")
  void theCheckCatchesDrift() {
    List<Path> sources = DocFiles.exampleSources();
    String source = DocFiles.read(DocFiles.root().resolve("shared/src/test/java/io/herald/examples/CartCheckedOut.java"));
    String region = source.substring(source.indexOf("// doc:event-record") + "// doc:event-record".length(),
        source.indexOf("// end:event-record"));
    String reflowed = region.replace("\n", "\n      ").replace(" ", "  ");
    assertThat(sourceOf(reflowed, sources)).as("the same code, indented and spaced differently").isPresent();

    String drifted = region.replace("BigDecimal total", "BigDecimal amount");
    assertThat(sourceOf(drifted, sources)).as("the code with its first word changed").isEmpty();
  }

  @Test
  @DisplayName("blocks are read with their line, and an unclosed block is an error naming it")
  void blocksAreParsed() {
    Path page = Path.of("docs/sample.md");
    List<Snippet> blocks = javaBlocks(page, "text\n```java\nint a = 1;\n```\n```sh\nls\n```\n```java\nb();\n```\n");
    assertThat(blocks).extracting(Snippet::line).containsExactly(3, 9);
    assertThat(blocks).extracting(Snippet::code).containsExactly("int a = 1;\n", "b();\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> javaBlocks(page, "```java\nx();\n"))
        .hasMessageContaining("never closed");
  }
}
