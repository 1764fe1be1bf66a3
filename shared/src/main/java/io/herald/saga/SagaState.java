package io.herald.saga;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A saga as stored: immutable; every change returns a new state.
 *
 * @param id            the saga id
 * @param orderId       the order it runs for
 * @param step          the step being run (forward) or compensated, {@code null} once finished
 * @param status        where it is
 * @param attempts      how many times the current step was started (more than one after a resume)
 * @param deadline      after this instant the saga no longer moves forward: it compensates (unless it is past its
 *                      point of no return); pushed back by the time spent waiting on busy services
 * @param history       forward steps in the order they ended, with timestamps
 * @param compensations compensations in the order they ended, with timestamps
 * @param reason        why it compensates, or {@code null}
 * @param data          the saga's input and what its steps returned (order lines, payment id, ...)
 * @param startedAt     when it started
 * @param updatedAt     when it last changed
 */
public record SagaState(String id, String orderId, String step, SagaStatus status, int attempts, Instant deadline,
                        List<SagaEntry> history, List<SagaEntry> compensations, String reason, JsonObject data,
                        Instant startedAt, Instant updatedAt) {

  public SagaState {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(deadline, "deadline");
    history = List.copyOf(history);
    compensations = List.copyOf(compensations);
    data = data == null ? new JsonObject() : data;
  }

  /** A new running saga whose first step is already done (the event that started it). */
  public static SagaState started(String id, String orderId, String firstStep, Instant at, Instant deadline, JsonObject data) {
    return new SagaState(id, orderId, null, SagaStatus.RUNNING, 0, deadline,
        List.of(new SagaEntry(firstStep, SagaEntry.DONE, at, null)), List.of(), null, data, at, at);
  }

  /** @return this saga about to run {@code next}: a repeat of the current step counts one more attempt */
  public SagaState running(String next, Instant now) {
    return new SagaState(id, orderId, next, status, next.equals(step) ? attempts + 1 : 1, deadline, history, compensations,
        reason, data, startedAt, now);
  }

  /** @return this saga with the step's outcome recorded and the step's result merged into its data */
  public SagaState ended(SagaEntry entry, JsonObject result) {
    JsonObject merged = result == null || result.isEmpty() ? data : data.copy().mergeIn(result);
    return new SagaState(id, orderId, step, status, attempts, deadline, append(history, entry), compensations, reason,
        merged, startedAt, entry.at());
  }

  /** @return this saga with its deadline pushed back by {@code ms} milliseconds (time spent waiting, not working) */
  public SagaState postponed(long ms) {
    return new SagaState(id, orderId, step, status, attempts, deadline.plusMillis(ms), history, compensations, reason, data,
        startedAt, updatedAt);
  }

  /** @return this saga turned to compensation, for {@code why} */
  public SagaState compensating(String why, Instant now) {
    return new SagaState(id, orderId, null, SagaStatus.COMPENSATING, 0, deadline, history, compensations, why, data,
        startedAt, now);
  }

  /** @return this saga with one compensation recorded */
  public SagaState compensated(SagaEntry entry) {
    return new SagaState(id, orderId, step, status, attempts, deadline, history, append(compensations, entry), reason, data,
        startedAt, entry.at());
  }

  /** @return this saga at its end */
  public SagaState finish(SagaStatus end, Instant now) {
    if (!end.finished()) {
      throw new IllegalArgumentException(end + " is not an end");
    }
    return new SagaState(id, orderId, null, end, 0, deadline, history, compensations, reason, data, startedAt, now);
  }

  /** @return the outcome of a forward step, if it ended */
  /**
   * @return whether any attempt of the step may have taken effect (done, or of unknown outcome): a later attempt
   *     that did nothing (an open breaker) does not undo what an earlier one may have done
   */
  public boolean mayHaveTakenEffect(String stepName) {
    return history.stream().anyMatch(entry -> entry.step().equals(stepName) && entry.needsCompensation());
  }

  public SagaEntry outcomeOf(String stepName) {
    for (int i = history.size() - 1; i >= 0; i--) {
      if (history.get(i).step().equals(stepName)) {
        return history.get(i);
      }
    }
    return null;
  }

  /** @return whether a compensation of this step has already run */
  public boolean compensationDone(String stepName) {
    return compensations.stream().anyMatch(c -> c.step().equals(stepName) && SagaEntry.DONE.equals(c.outcome()));
  }

  /** @return whether a compensation of this step has ended, done or refused for good */
  public boolean compensationEnded(String stepName) {
    return compensations.stream().anyMatch(c -> c.step().equals(stepName));
  }

  public JsonObject toJson() {
    JsonArray steps = new JsonArray();
    history.forEach(e -> steps.add(e.toJson()));
    JsonArray undone = new JsonArray();
    compensations.forEach(e -> undone.add(e.toJson()));
    return new JsonObject()
        .put("sagaId", id)
        .put("orderId", orderId)
        .put("status", status.apiName())
        .put("step", step)
        .put("attempts", attempts)
        .put("deadline", deadline.toString())
        .put("steps", steps)
        .put("compensations", undone)
        .put("reason", reason)
        .put("data", data)
        .put("startedAt", startedAt.toString())
        .put("updatedAt", updatedAt.toString());
  }

  public static SagaState fromJson(JsonObject json) {
    List<SagaEntry> steps = new ArrayList<>();
    json.getJsonArray("steps", new JsonArray()).forEach(e -> steps.add(SagaEntry.fromJson((JsonObject) e)));
    List<SagaEntry> undone = new ArrayList<>();
    json.getJsonArray("compensations", new JsonArray()).forEach(e -> undone.add(SagaEntry.fromJson((JsonObject) e)));
    return new SagaState(json.getString("sagaId"), json.getString("orderId"), json.getString("step"),
        SagaStatus.fromApiName(json.getString("status")), json.getInteger("attempts", 0),
        Instant.parse(json.getString("deadline")), steps, undone, json.getString("reason"),
        json.getJsonObject("data", new JsonObject()), Instant.parse(json.getString("startedAt")),
        Instant.parse(json.getString("updatedAt")));
  }

  private static List<SagaEntry> append(List<SagaEntry> entries, SagaEntry entry) {
    List<SagaEntry> more = new ArrayList<>(entries.size() + 1);
    more.addAll(entries);
    more.add(entry);
    return more;
  }
}
