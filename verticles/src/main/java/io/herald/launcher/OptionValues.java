package io.herald.launcher;

import java.util.Arrays;
import java.util.List;

/** Reads option values off a command line, for the run command and the load tools of herald-bench.jar alike. */
public final class OptionValues {

  private OptionValues() {
  }

  /**
   * @return the value at {@code index}
   * @throws UsageException when there is none, or it is the next option
   */
  public static String next(String[] args, int index, String option) {
    if (index >= args.length || args[index].startsWith("--")) {
      throw new UsageException("option '" + option + "' needs a value");
    }
    return args[index];
  }

  /**
   * @return the comma-separated names in {@code value}, trimmed, empty ones dropped
   * @throws UsageException when no name is left
   */
  public static List<String> list(String value, String option) {
    List<String> names = Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (names.isEmpty()) {
      throw new UsageException("option '" + option + "' needs a value");
    }
    return names;
  }
}
