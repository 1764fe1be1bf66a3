package io.herald.projection;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The projections running in one process, by name: what the admin API lists and rebuilds. Thread-safe. */
public final class Projections {

  private final Map<String, ProjectionRunner> runners = new LinkedHashMap<>();

  /** @throws IllegalArgumentException when a projection of that name is already registered */
  public synchronized void register(ProjectionRunner runner) {
    if (runners.putIfAbsent(runner.name(), runner) != null) {
      throw new IllegalArgumentException("projection '" + runner.name() + "' is registered twice");
    }
  }

  public synchronized void unregister(String name) {
    runners.remove(name);
  }

  public synchronized Optional<ProjectionRunner> find(String name) {
    return Optional.ofNullable(runners.get(name));
  }

  public synchronized List<String> names() {
    return List.copyOf(runners.keySet());
  }

  /** @return the status of every projection, in registration order */
  public Future<List<ProjectionStatus>> statuses() {
    List<Future<ProjectionStatus>> all = new ArrayList<>();
    synchronized (this) {
      runners.values().forEach(r -> all.add(r.status()));
    }
    return Future.all(all).map(done -> all.stream().map(Future::result).toList());
  }
}
