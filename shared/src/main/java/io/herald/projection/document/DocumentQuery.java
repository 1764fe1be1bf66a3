package io.herald.projection.document;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * Which documents of a collection to list.
 *
 * @param matching top-level fields a document must have with exactly these values (strings, numbers, booleans)
 * @param afterSeq only documents first written after this global position
 * @param limit    at most this many, in {@code seq} order
 */
public record DocumentQuery(JsonObject matching, long afterSeq, int limit) {

  public static final int MAX_LIMIT = 10_000;

  public DocumentQuery {
    Objects.requireNonNull(matching, "matching");
    matching = matching.copy();
    for (String field : matching.fieldNames()) {
      Object value = matching.getValue(field);
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw new IllegalArgumentException("matching on '" + field + "' needs a string, number or boolean, was " + value);
      }
    }
    if (afterSeq < 0) {
      throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
  }

  /** @return a copy: the checked values cannot be changed through it */
  @Override
  public JsonObject matching() {
    return matching.copy();
  }

  /** Every document, up to {@link #MAX_LIMIT}. */
  public static DocumentQuery all() {
    return new DocumentQuery(new JsonObject(), 0, MAX_LIMIT);
  }

  public DocumentQuery where(String field, Object value) {
    return new DocumentQuery(matching().put(field, value), afterSeq, limit);
  }

  public DocumentQuery after(long seq) {
    return new DocumentQuery(matching, seq, limit);
  }

  public DocumentQuery limit(int max) {
    return new DocumentQuery(matching, afterSeq, max);
  }

  /** @return whether {@code doc} has every field of {@link #matching} with an equal value */
  public boolean matches(JsonObject doc) {
    for (String field : matching.fieldNames()) {
      Object wanted = matching.getValue(field);
      Object actual = doc.getValue(field);
      boolean equal = wanted instanceof Number w && actual instanceof Number a
          ? new java.math.BigDecimal(w.toString()).compareTo(new java.math.BigDecimal(a.toString())) == 0
          : wanted.equals(actual);
      if (!equal) {
        return false;
      }
    }
    return true;
  }
}
