package io.herald.health;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The node's readiness checks. Components register a named {@link HealthCheck} when they start (the store,
 * the deployed services, and later the relay, broker connections and projections); {@link #report()} runs
 * them all at once, each with a timeout, and the node is ready only when every one is UP.
 *
 * <p>Thread-safe: checks may be added or removed from any thread.
 */
public final class HealthRegistry {

  public static final long DEFAULT_TIMEOUT_MS = 2_000;

  private final long timeoutMs;
  private final Map<String, HealthCheck> checks = new LinkedHashMap<>();

  public HealthRegistry() {
    this(DEFAULT_TIMEOUT_MS);
  }

  /** @param timeoutMs how long one check may take before it counts as DOWN, in milliseconds */
  public HealthRegistry(long timeoutMs) {
    if (timeoutMs < 1) {
      throw new IllegalArgumentException("timeoutMs must be >= 1, was " + timeoutMs);
    }
    this.timeoutMs = timeoutMs;
  }

  /**
   * Adds a check, reported in registration order.
   *
   * @throws IllegalStateException if a check with that name exists
   */
  public synchronized HealthRegistry register(String name, HealthCheck check) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(check, "check");
    if (checks.putIfAbsent(name, check) != null) {
      throw new IllegalStateException("a health check named '" + name + "' is already registered");
    }
    return this;
  }

  public synchronized HealthRegistry unregister(String name) {
    checks.remove(name);
    return this;
  }

  public synchronized List<String> names() {
    return List.copyOf(checks.keySet());
  }

  /**
   * Runs every check concurrently. Never fails: a check that fails, throws or times out is reported DOWN
   * with its reason.
   *
   * @return {@code {"status":"UP"|"DOWN","checks":[{"name":..,"status":..,<details>|"reason":..},..]}}
   */
  public Future<JsonObject> report() {
    List<Map.Entry<String, HealthCheck>> snapshot;
    synchronized (this) {
      snapshot = new ArrayList<>(checks.entrySet());
    }
    List<Future<JsonObject>> results = new ArrayList<>(snapshot.size());
    for (Map.Entry<String, HealthCheck> entry : snapshot) {
      results.add(run(entry.getKey(), entry.getValue()));
    }
    return Future.join(results).transform(ignored -> {
      JsonArray array = new JsonArray();
      boolean up = true;
      for (Future<JsonObject> result : results) {
        JsonObject check = result.result();
        up &= Status.UP.name().equals(check.getString("status"));
        array.add(check);
      }
      return Future.succeededFuture(new JsonObject().put("status", (up ? Status.UP : Status.DOWN).name()).put("checks", array));
    });
  }

  private Future<JsonObject> run(String name, HealthCheck check) {
    Future<JsonObject> outcome;
    try {
      outcome = Objects.requireNonNull(check.check(), "the check returned null");
    } catch (RuntimeException e) {
      outcome = Future.failedFuture(e);
    }
    return outcome
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(details -> withDetails(new JsonObject().put("name", name).put("status", Status.UP.name()), details))
        .otherwise(err -> new JsonObject().put("name", name).put("status", Status.DOWN.name())
            .put("reason", reason(err)));
  }

  private static JsonObject withDetails(JsonObject check, JsonObject details) {
    if (details != null) {
      details.forEach(e -> {
        if (!check.containsKey(e.getKey())) {
          check.put(e.getKey(), e.getValue());
        }
      });
    }
    return check;
  }

  private String reason(Throwable err) {
    if (err instanceof TimeoutException) {
      return "no answer within " + timeoutMs + " ms";
    }
    String message = err.getMessage();
    return message == null || message.isBlank() ? err.getClass().getSimpleName() : message.replaceAll("\\s+", " ").trim();
  }

  /** A check's or the node's state. */
  public enum Status { UP, DOWN }
}
