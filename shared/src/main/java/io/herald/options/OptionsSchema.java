package io.herald.options;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * An options record described once: every config key with its default and its {@link Rule}s, and the rules between
 * two keys. Reading a section ({@link #read}), writing it back ({@link #write}) and checking values ({@link #check})
 * all follow from that description, so an options class lists its keys one time:
 *
 * <pre>{@code
 * public record RelayOptions(String checkpointName, long retryBaseMs, long retryCapMs) {
 *   private static final OptionsSchema<RelayOptions> SCHEMA = OptionsSchema.of(RelayOptions.class, "relay")
 *       .key("checkpointName", DEFAULT_CHECKPOINT_NAME, notBlank())
 *       .key("retryBaseMs", DEFAULT_RETRY_BASE_MS, positive())
 *       .key("retryCapMs", DEFAULT_RETRY_CAP_MS)
 *       .require("retryCapMs", ">=", "retryBaseMs")
 *       .build();
 *
 *   public RelayOptions {
 *     SCHEMA.check(checkpointName, retryBaseMs, retryCapMs);
 *   }
 * }
 * }</pre>
 *
 * A key's type is its record component's: {@code String}, {@code int}, {@code long}, {@code boolean}, an enum
 * (spelled in lower case in config) or {@code List<String>} (a list or a comma-separated string). Numbers and booleans
 * may arrive as text, as environment variables and {@code -D} overrides do ({@link JsonOptions} reads each value).
 * Keys the schema does not know are ignored: the launcher rejects them against {@code config/default.yaml}.
 * Every bad value fails with an {@link IllegalArgumentException} whose message starts with the full key
 * ({@code broker.kafka.partitions must be >= 1, was 0}).
 *
 * @param <R> the options record
 */
public final class OptionsSchema<R extends Record> {

  private final String prefix;
  private final List<Key> keys;
  private final Map<String, Integer> positions = new LinkedHashMap<>();
  private final List<Relation> relations;
  private final Constructor<R> constructor;

  private OptionsSchema(String prefix, List<Key> keys, List<Relation> relations, Constructor<R> constructor) {
    this.prefix = prefix;
    this.keys = keys;
    this.relations = relations;
    this.constructor = constructor;
    for (Key key : keys) {
      positions.put(key.name(), positions.size());
    }
    for (Relation relation : relations) {
      if (!positions.containsKey(relation.left()) || !positions.containsKey(relation.right())) {
        throw new IllegalStateException("a rule names a key the schema lacks: " + relation);
      }
    }
  }

  /**
   * @param type    the options record
   * @param section the config section it is read from, e.g. {@code broker.kafka}; it starts every key in messages
   */
  public static <R extends Record> Builder<R> of(Class<R> type, String section) {
    return new Builder<>(type, section + ".");
  }

  /**
   * Reads a section: absent keys take their defaults, and the record's constructor checks the values.
   *
   * @param json the section; null reads as an empty one
   * @throws IllegalArgumentException naming the full key of a mistyped or invalid value
   */
  public R read(JsonObject json) {
    JsonOptions in = JsonOptions.of(json == null ? new JsonObject() : json, prefix);
    Object[] values = keys.stream().map(key -> key.read(in)).toArray();
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build " + constructor.getDeclaringClass().getSimpleName(), e);
    }
  }

  /** @return the options as a section that {@link #read} reads back to equal options; enums in lower case */
  public JsonObject write(R options) {
    JsonObject json = new JsonObject();
    for (Key key : keys) {
      json.put(key.name(), asJson(key.valueOf(options)));
    }
    return json;
  }

  private static Object asJson(Object value) {
    return value instanceof Enum<?> e ? e.name().toLowerCase(Locale.ROOT)
        : value instanceof List<?> list ? new JsonArray(new ArrayList<>(list)) : value;
  }

  /** @return a copy of {@code options} with one key set, checked like any other read */
  public R with(R options, String key, Object value) {
    return read(write(options).put(key, value));
  }

  /**
   * Checks every key's rules, then the rules between keys; the record's compact constructor calls it.
   *
   * @param values the record's components, in their declared order
   * @throws IllegalArgumentException starting with the full key of the first value that breaks a rule
   */
  public void check(Object... values) {
    if (values.length != keys.size()) {
      throw new IllegalStateException("expected the " + keys.size() + " components of "
          + constructor.getDeclaringClass().getSimpleName() + ", got " + values.length + " values");
    }
    for (int i = 0; i < values.length; i++) {
      Key key = keys.get(i);
      if (values[i] == null) {
        throw new IllegalArgumentException(prefix + key.name() + " must be set");
      }
      if (!key.holds(values[i])) {
        throw new IllegalStateException(key.name() + " is a " + key.component().getType().getSimpleName()
            + ", was given a " + values[i].getClass().getSimpleName() + ": pass the components in order");
      }
      for (Rule rule : key.rules()) {
        rule.check(prefix + key.name(), values[i]);
      }
    }
    for (Relation relation : relations) {
      relation.check(prefix, values[positions.get(relation.left())], values[positions.get(relation.right())]);
    }
  }

  /** Describes the keys one by one, in any order; {@link #build()} checks that each component has its key. */
  public static final class Builder<R extends Record> {

    private final Class<R> type;
    private final String prefix;
    private final Map<String, RecordComponent> components = new LinkedHashMap<>();
    private final Map<String, Key> keys = new LinkedHashMap<>();
    private final List<Relation> relations = new ArrayList<>();

    private Builder(Class<R> type, String prefix) {
      this.type = Objects.requireNonNull(type, "type");
      this.prefix = prefix;
      for (RecordComponent component : type.getRecordComponents()) {
        components.put(component.getName(), component);
      }
    }

    /**
     * @param name         the config key, which is also the record component's name
     * @param defaultValue its value when absent: a number, text or boolean as config would give it (an enum's name, a
     *                     comma-separated list)
     */
    public Builder<R> key(String name, Object defaultValue, Rule... rules) {
      return keyOf(name, name, defaultValue, rules);
    }

    /** A key named otherwise than its record component (a config key kept when the component was renamed). */
    public Builder<R> keyOf(String component, String name, Object defaultValue, Rule... rules) {
      RecordComponent c = components.get(component);
      if (c == null || keys.containsKey(component)) {
        throw new IllegalStateException(type.getSimpleName() + " has no component " + component + " left to describe");
      }
      // the default is read as a configured value would be: an enum from its name, a list from its text
      Object given = asJson(Objects.requireNonNull(defaultValue, name));
      Object fallback = Key.read(c, name, JsonOptions.of(new JsonObject().put(name, given), prefix), null);
      keys.put(component, new Key(name, c, List.of(rules), fallback));
      return this;
    }

    /**
     * A rule between two number keys: {@code left op right}, with {@code op} one of {@code >}, {@code >=},
     * {@code <}, {@code <=}.
     */
    public Builder<R> require(String left, String op, String right) {
      return add(new Relation(left, op, right, false, ""));
    }

    /** @param why appended to the message, e.g. {@code or entries waiting for a redelivery look stuck} */
    public Builder<R> require(String left, String op, String right, String why) {
      return add(new Relation(left, op, right, false, ", " + why));
    }

    /** As {@link #require(String, String, String)}, unless {@code right} is 0, which means "no limit". */
    public Builder<R> requireUnlessZero(String left, String op, String right) {
      return add(new Relation(left, op, right, true, ""));
    }

    private Builder<R> add(Relation relation) {
      relations.add(relation);
      return this;
    }

    /** @throws IllegalStateException when a component has no key, or a relation names an unknown key */
    public OptionsSchema<R> build() {
      if (!keys.keySet().equals(components.keySet())) {
        throw new IllegalStateException(type.getSimpleName() + " describes " + keys.keySet() + ", its components are "
            + components.keySet());
      }
      List<Key> ordered = components.keySet().stream().map(keys::get).toList();
      Class<?>[] types = components.values().stream().map(RecordComponent::getType).toArray(Class<?>[]::new);
      try {
        return new OptionsSchema<>(prefix, ordered, List.copyOf(relations), type.getDeclaredConstructor(types));
      } catch (NoSuchMethodException e) {
        throw new IllegalStateException(type.getSimpleName() + " has no canonical constructor", e);
      }
    }
  }

  /** One key: its component, which gives the type, its rules and its default, read like a configured value. */
  private record Key(String name, RecordComponent component, List<Rule> rules, Object fallback) {

    Object read(JsonOptions in) {
      return read(component, name, in, fallback);
    }

    // fallback is null only while the default itself is read, and then the key is present
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object read(RecordComponent component, String name, JsonOptions in, Object fallback) {
      Class<?> type = component.getType();
      if (type == String.class) {
        return in.string(name, (String) fallback);
      } else if (type == int.class) {
        return in.integer(name, fallback == null ? 0 : (Integer) fallback);
      } else if (type == long.class) {
        return in.number(name, fallback == null ? 0 : (Long) fallback);
      } else if (type == boolean.class) {
        return in.bool(name, fallback != null && (Boolean) fallback);
      } else if (type.isEnum()) {
        return in.choice(name, (Class) type, (Enum) fallback);
      } else if (type == List.class) {
        return in.strings(name, (List<String>) fallback);
      }
      throw new IllegalStateException(component.getDeclaringRecord().getSimpleName() + "." + component.getName()
          + " is a " + type.getSimpleName() + "; a schema reads String, int, long, boolean, enums and List<String>");
    }

    boolean holds(Object value) {
      Class<?> type = component.getType();
      return type == int.class ? value instanceof Integer : type == long.class ? value instanceof Long
          : type == boolean.class ? value instanceof Boolean : type.isInstance(value);
    }

    Object valueOf(Record options) {
      try {
        return component.getAccessor().invoke(options);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read " + component.getName(), e);
      }
    }
  }

  /** {@code left op right} between two number keys, checked after every key's own rules. */
  private record Relation(String left, String op, String right, boolean unlessZero, String why) {

    Relation {
      if (!List.of(">", ">=", "<", "<=").contains(op)) {
        throw new IllegalStateException("unknown comparison " + op + ", expected >, >=, < or <=");
      }
    }

    void check(String prefix, Object leftValue, Object rightValue) {
      long a = ((Number) leftValue).longValue();
      long b = ((Number) rightValue).longValue();
      boolean holds = (unlessZero && b == 0) || switch (op) {
        case ">" -> a > b;
        case ">=" -> a >= b;
        case "<" -> a < b;
        default -> a <= b;
      };
      if (!holds) {
        throw new IllegalArgumentException(
            prefix + left + " (" + a + ") must be " + op + " " + right + " (" + b + ")" + why);
      }
    }

    @Override
    public String toString() {
      return left + " " + op + " " + right;
    }
  }
}
