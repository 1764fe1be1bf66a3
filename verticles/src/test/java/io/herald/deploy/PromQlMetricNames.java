package io.herald.deploy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The metric names a PromQL expression selects, and the expressions of a Grafana dashboard. Enough PromQL for
 * dashboards: selectors, label matchers, ranges, functions, aggregations with by/without, binary operators with
 * on/ignoring/group_left/group_right, offsets, numbers and Grafana's {@code $variables}.
 */
final class PromQlMetricNames {

  private static final Pattern STRING = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
  private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern GROUPING = Pattern.compile(
      "\\b(?:by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", Pattern.CASE_INSENSITIVE);
  /** A variable, a number or duration, or an identifier; in that order, so {@code 5m} and {@code 1e3} are no names. */
  private static final Pattern TOKEN = Pattern.compile("\\$\\{?\\w+}?|[0-9][0-9A-Za-z_.]*|([A-Za-z_:][A-Za-z0-9_:]*)");
  private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "bool", "offset", "by", "without", "on",
      "ignoring", "group_left", "group_right", "inf", "nan");

  private PromQlMetricNames() {
  }

  /** @return the metric names {@code expr} selects, in the order they appear */
  static Set<String> of(String expr) {
    String rest = STRING.matcher(expr).replaceAll(" ");
    rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
    rest = RANGE.matcher(rest).replaceAll(" ");
    rest = GROUPING.matcher(rest).replaceAll(" ");
    Set<String> names = new LinkedHashSet<>();
    Matcher token = TOKEN.matcher(rest);
    while (token.find()) {
      String name = token.group(1);
      if (name == null || KEYWORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
        continue;
      }
      boolean isCall = rest.substring(token.end()).stripLeading().startsWith("(");
      if (!isCall) {
        names.add(name);
      }
    }
    return names;
  }

  /** @return every {@code expr} of the dashboard's panels (rows' panels included) and template queries */
  static List<String> expressions(JsonObject dashboard) {
    List<String> exprs = new ArrayList<>();
    collect(dashboard, exprs);
    return exprs;
  }

  private static void collect(Object node, List<String> exprs) {
    if (node instanceof JsonObject object) {
      object.forEach(e -> {
        if ("expr".equals(e.getKey()) && e.getValue() instanceof String expr) {
          exprs.add(expr);
        } else if ("query".equals(e.getKey()) && e.getValue() instanceof JsonObject query
            && query.getValue("query") instanceof String expr) {
          exprs.add(expr);
        } else {
          collect(e.getValue(), exprs);
        }
      });
    } else if (node instanceof JsonArray array) {
      array.forEach(e -> collect(e, exprs));
    }
  }
}
