package io.herald.saga;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Objects;

/**
 * One line of a saga's history: a step or a compensation, what came of it and when.
 *
 * @param step    the step's name
 * @param outcome {@link #DONE}, {@link #FAILED} (the step certainly did nothing; of a compensation: the service refused
 *                it, which asking again would not change) or {@link #UNKNOWN} (it may have taken effect, e.g. a timeout
 *                or a step in flight when the node stopped: it is compensated like a done step)
 * @param at      when the outcome was known
 * @param detail  the failure's message, or {@code null}
 */
public record SagaEntry(String step, String outcome, Instant at, String detail) {

  public static final String DONE = "done";
  public static final String FAILED = "failed";
  public static final String UNKNOWN = "unknown";

  public SagaEntry {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(at, "at");
  }

  /** @return whether the step may have taken effect, so that its compensation must run */
  public boolean needsCompensation() {
    return DONE.equals(outcome) || UNKNOWN.equals(outcome);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("step", step).put("outcome", outcome).put("at", at.toString());
    return detail == null ? json : json.put("detail", detail);
  }

  public static SagaEntry fromJson(JsonObject json) {
    return new SagaEntry(json.getString("step"), json.getString("outcome"), Instant.parse(json.getString("at")),
        json.getString("detail"));
  }
}
