package io.herald.gateway.feed;

import io.herald.broker.TypePatterns;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a feed client asked for: the event types (patterns with {@code *}, e.g. {@code order.*,user.registered}; none
 * means every type) and the first position to deliver ({@code null}: only events stored from now on).
 *
 * @param types the type patterns; empty for every type
 * @param from  first global position to deliver (inclusive), or {@code null} to start at the store's head
 */
public record FeedQuery(List<String> types, Long from) {

  public FeedQuery {
    types = List.copyOf(types);
  }

  /** Everything, from now on. */
  public static FeedQuery live() {
    return new FeedQuery(List.of(), null);
  }

  /** @return whether an event of this type is delivered */
  public TypePatterns patterns() {
    return TypePatterns.of(types.isEmpty() ? List.of(TypePatterns.ANY) : types);
  }

  /**
   * Reads the query parameters of {@code GET /api/feed} and {@code /api/feed/ws}.
   *
   * @param types       the {@code types} values (each comma-separated), may be empty
   * @param from        the {@code from} value, or {@code null}
   * @param lastEventId the SSE {@code Last-Event-ID} header, or {@code null}; it wins over {@code from}: the feed
   *                    resumes right after that position
   * @throws IllegalArgumentException naming the parameter at fault
   */
  public static FeedQuery parse(List<String> types, String from, String lastEventId) {
    List<String> patterns = new ArrayList<>();
    for (String value : types) {
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          patterns.add(checkedPattern(part.trim()));
        }
      }
    }
    Long start = null;
    if (lastEventId != null && !lastEventId.isBlank()) {
      start = position("Last-Event-ID", lastEventId) + 1;
    } else if (from != null && !from.isBlank()) {
      start = Math.max(1, position("from", from));
    }
    return new FeedQuery(patterns, start);
  }

  /**
   * Reads a WebSocket client's subscription change, {@code {"types": "order.*" | ["order.*", ...], "from": 42}}.
   * Absent {@code types} keeps every type; absent {@code from} continues from where the feed is.
   *
   * @throws IllegalArgumentException naming the field at fault
   */
  public static FeedQuery fromJson(JsonObject json) {
    for (String field : json.fieldNames()) {
      if (!"types".equals(field) && !"from".equals(field)) {
        throw new IllegalArgumentException("unknown field '" + field + "' (expected types, from)");
      }
    }
    Object types = json.getValue("types");
    List<String> values = new ArrayList<>();
    if (types instanceof String text) {
      values.add(text);
    } else if (types instanceof JsonArray array) {
      for (Object item : array) {
        if (!(item instanceof String text)) {
          throw new IllegalArgumentException("types must be a string or an array of strings");
        }
        values.add(text);
      }
    } else if (types != null) {
      throw new IllegalArgumentException("types must be a string or an array of strings");
    }
    Object from = json.getValue("from");
    if (from != null && !(from instanceof Integer || from instanceof Long)) {
      throw new IllegalArgumentException("from must be a whole number, got " + from);
    }
    return parse(values, from == null ? null : from.toString(), null);
  }

  public JsonObject toJson() {
    return new JsonObject().put("types", new JsonArray(types)).put("from", from);
  }

  private static String checkedPattern(String pattern) {
    try {
      TypePatterns.of(pattern);
      return pattern;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("types: " + e.getMessage());
    }
  }

  private static long position(String name, String value) {
    try {
      long position = Long.parseLong(value.trim());
      if (position < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + position);
      }
      return position;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + value + "'");
    }
  }
}
