package io.herald.launcher.config;

import java.util.List;

/**
 * Which services a node deploys ({@code services}): all of them, or the named ones in the order given.
 * Names are checked against the service catalogue by the launcher, which knows it.
 *
 * @param names the selected names; empty means all
 */
public record ServiceSelection(List<String> names) {

  public static final String ALL = "all";

  public ServiceSelection {
    names = List.copyOf(names);
  }

  public static ServiceSelection all() {
    return new ServiceSelection(List.of());
  }

  /** Parses {@code all} or a list of names; {@code all} among other names still means all. */
  public static ServiceSelection of(List<String> names) {
    return names.isEmpty() || names.contains(ALL) ? all() : new ServiceSelection(names);
  }

  public boolean isAll() {
    return names.isEmpty();
  }

  @Override
  public String toString() {
    return isAll() ? ALL : String.join(",", names);
  }
}
