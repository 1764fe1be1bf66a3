package io.herald.projection.pg;

import io.herald.projection.document.DocumentQuery;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.regex.Pattern;

/**
 * The statement of one find, and its arguments. The collection's name, and the names of the fields to match, go into
 * the text as literals where they are plain enough to: the planner can use a partial index ({@code WHERE collection =
 * 'orders'}) or an index on a field ({@code doc -> 'userId'}) only when it can prove its predicate or match its
 * expression from the text, and a cached statement's generic plan knows no parameter's value.
 *
 * <p>{@code doc @> matching} decides which documents match, as it always did. Each field also gets
 * {@code doc -> 'field' = value}: for the scalars a query matches on, containment implies that equality (numbers
 * compare by value in both), so it changes no answer and lets a field's index find the candidates.
 */
record FindStatement(String sql, Tuple args) {

  /** Collection names spelled into statements and index definitions. */
  static final Pattern LITERAL_COLLECTION = Pattern.compile("[A-Za-z0-9_.-]{1,40}");
  /** Field names spelled into statements and index expressions. */
  static final Pattern LITERAL_FIELD = Pattern.compile("[A-Za-z0-9_]{1,64}");

  static FindStatement of(String collection, DocumentQuery query) {
    JsonObject matching = query.matching();
    Tuple args = Tuple.tuple();
    StringBuilder sql = new StringBuilder("SELECT doc FROM documents WHERE collection = ");
    if (LITERAL_COLLECTION.matcher(collection).matches()) {
      sql.append('\'').append(collection).append('\'');
    } else {
      args.addString(collection);
      sql.append('$').append(args.size());
    }
    args.addLong(query.afterSeq());
    sql.append(" AND seq > $").append(args.size());
    for (String field : matching.fieldNames()) {
      if (LITERAL_FIELD.matcher(field).matches()) {
        // a jsonb parameter takes the value itself: the client writes a string as a JSON string, a number as a number
        args.addValue(matching.getValue(field));
        sql.append(" AND doc -> '").append(field).append("' = $").append(args.size()).append("::jsonb");
      }
    }
    // with nothing to match there is no containment test, so that no plan picks a content index to match everything
    if (!matching.isEmpty()) {
      args.addValue(matching);
      sql.append(" AND doc @> $").append(args.size()).append("::jsonb");
    }
    args.addInteger(query.limit());
    sql.append(" ORDER BY seq, id LIMIT $").append(args.size());
    return new FindStatement(sql.toString(), args);
  }
}
