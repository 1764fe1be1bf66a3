package io.herald.event;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that knows each event type: name ↔ record class ↔ aggregate type ↔ current schema version,
 * plus the upcasters that bring older stored versions up to date. Immutable once built, so it is shared
 * freely across event loops.
 */
public final class EventRegistry {

  /** What is known about one registered event type. */
  public record Registration(String type, Class<? extends DomainEvent> recordClass, String aggregateType, int schemaVersion) {
  }

  private final Map<String, Registration> byType;
  private final Map<Class<?>, Registration> byClass;
  private final Map<String, Upcaster[]> upcasters;

  private EventRegistry(Builder builder) {
    this.byType = Collections.unmodifiableMap(new LinkedHashMap<>(builder.byType));
    this.byClass = Map.copyOf(builder.byClass);
    Map<String, Upcaster[]> chains = new HashMap<>();
    for (Registration reg : byType.values()) {
      Map<Integer, Upcaster> steps = builder.upcasters.getOrDefault(reg.type(), Map.of());
      Upcaster[] chain = new Upcaster[reg.schemaVersion()];
      for (int from = 1; from < reg.schemaVersion(); from++) {
        chain[from] = steps.get(from);
      }
      chains.put(reg.type(), chain);
    }
    for (Map.Entry<String, Map<Integer, Upcaster>> e : builder.upcasters.entrySet()) {
      Registration reg = byType.get(e.getKey());
      if (reg == null) {
        throw new IllegalArgumentException("upcaster for unregistered event type '" + e.getKey() + "'");
      }
      for (int from : e.getValue().keySet()) {
        if (from < 1 || from >= reg.schemaVersion()) {
          throw new IllegalArgumentException("upcaster for '" + reg.type() + "' from v" + from
              + " is outside 1.." + (reg.schemaVersion() - 1) + " (current version is " + reg.schemaVersion() + ")");
        }
      }
    }
    this.upcasters = Map.copyOf(chains);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the registration of a type name
   * @throws UnknownEventTypeException when the name is not registered
   */
  public Registration byType(String type) {
    Registration reg = byType.get(type);
    if (reg == null) {
      throw new UnknownEventTypeException(type);
    }
    return reg;
  }

  /**
   * @return the registration of a record class
   * @throws UnknownEventTypeException when the class is not registered
   */
  public Registration byClass(Class<?> recordClass) {
    Registration reg = byClass.get(recordClass);
    if (reg == null) {
      throw new UnknownEventTypeException(recordClass.getName());
    }
    return reg;
  }

  public boolean isRegistered(String type) {
    return byType.containsKey(type);
  }

  public Collection<Registration> registrations() {
    return byType.values();
  }

  /** @return the JSON data of an event record, as stored and as sent in structured CloudEvents */
  public JsonObject encode(DomainEvent event) {
    byClass(event.getClass());
    return new JsonObject(EventJson.toMap(event));
  }

  /**
   * Decodes stored data of any known version into the current record, applying upcasters in order.
   *
   * @param type          the event type name
   * @param schemaVersion the version the data was written with
   * @param data          the JSON data (not modified when no upcast is needed)
   * @throws UnknownEventTypeException when the type is not registered
   * @throws EventDecodingException    when a field is missing, null, of the wrong JSON type, or the version is unknown
   */
  public DomainEvent decode(String type, int schemaVersion, JsonObject data) {
    Registration reg = byType(type);
    if (data == null) {
      throw new EventDecodingException(type, "", "data is missing");
    }
    JsonObject current = upcast(reg, schemaVersion, data);
    return EventJson.fromMap(type, current.getMap(), reg.recordClass());
  }

  /** Brings data written at {@code schemaVersion} to the registration's current version. */
  public JsonObject upcast(String type, int schemaVersion, JsonObject data) {
    return upcast(byType(type), schemaVersion, data);
  }

  private JsonObject upcast(Registration reg, int schemaVersion, JsonObject data) {
    if (schemaVersion == reg.schemaVersion()) {
      return data;
    }
    if (schemaVersion < 1 || schemaVersion > reg.schemaVersion()) {
      throw new EventDecodingException(reg.type(), "schemaversion",
          "version " + schemaVersion + " is not between 1 and the current version " + reg.schemaVersion());
    }
    Upcaster[] chain = upcasters.get(reg.type());
    JsonObject value = data.copy();
    for (int v = schemaVersion; v < reg.schemaVersion(); v++) {
      if (chain[v] == null) {
        throw new EventDecodingException(reg.type(), "schemaversion", "no upcaster from version " + v + " to " + (v + 1));
      }
      value = chain[v].upcast(value);
    }
    // copy() and upcasters leave JsonObject/JsonArray inside; decoding wants plain maps and lists, so field paths stay exact
    return new JsonObject(value.encode());
  }

  /** Collects registrations; {@link #build()} checks them as a whole. */
  public static final class Builder {
    private final Map<String, Registration> byType = new LinkedHashMap<>();
    private final Map<Class<?>, Registration> byClass = new HashMap<>();
    private final Map<String, Map<Integer, Upcaster>> upcasters = new HashMap<>();

    private Builder() {
    }

    /** Registers a record annotated with {@link EventType}. */
    public Builder register(Class<? extends DomainEvent> recordClass) {
      Objects.requireNonNull(recordClass, "recordClass");
      EventType meta = recordClass.getAnnotation(EventType.class);
      if (meta == null) {
        throw new IllegalArgumentException(recordClass.getName() + " has no @EventType annotation");
      }
      return register(meta.value(), recordClass, meta.aggregate(), meta.version());
    }

    /** Registers several annotated records. */
    @SafeVarargs
    public final Builder registerAll(Class<? extends DomainEvent>... recordClasses) {
      for (Class<? extends DomainEvent> c : recordClasses) {
        register(c);
      }
      return this;
    }

    /** Registers a record under an explicit name, aggregate type and current schema version. */
    public Builder register(String type, Class<? extends DomainEvent> recordClass, String aggregateType, int schemaVersion) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(recordClass, "recordClass");
      Objects.requireNonNull(aggregateType, "aggregateType");
      if (!recordClass.isRecord()) {
        throw new IllegalArgumentException(recordClass.getName() + " must be a record");
      }
      if (schemaVersion < 1) {
        throw new IllegalArgumentException("schema version of '" + type + "' must be >= 1, was " + schemaVersion);
      }
      Registration reg = new Registration(type, recordClass, aggregateType, schemaVersion);
      Registration clash = byType.putIfAbsent(type, reg);
      if (clash != null && !clash.equals(reg)) {
        throw new IllegalArgumentException("event type '" + type + "' is already registered for " + clash.recordClass().getName());
      }
      Registration classClash = byClass.putIfAbsent(recordClass, reg);
      if (classClash != null && !classClash.equals(reg)) {
        throw new IllegalArgumentException(recordClass.getName() + " is already registered as '" + classClash.type() + "'");
      }
      return this;
    }

    /** Adds the step that upcasts data of {@code type} from {@code fromVersion} to {@code fromVersion + 1}. */
    public Builder upcaster(String type, int fromVersion, Upcaster upcaster) {
      Objects.requireNonNull(upcaster, "upcaster");
      Upcaster previous = upcasters.computeIfAbsent(type, t -> new HashMap<>()).putIfAbsent(fromVersion, upcaster);
      if (previous != null) {
        throw new IllegalArgumentException("two upcasters for '" + type + "' from version " + fromVersion);
      }
      return this;
    }

    /** Includes every registration and upcaster of another registry. */
    public Builder include(EventRegistry other) {
      for (Registration reg : other.registrations()) {
        register(reg.type(), reg.recordClass(), reg.aggregateType(), reg.schemaVersion());
        Upcaster[] chain = other.upcasters.get(reg.type());
        for (int v = 1; v < chain.length; v++) {
          if (chain[v] != null) {
            upcaster(reg.type(), v, chain[v]);
          }
        }
      }
      return this;
    }

    public EventRegistry build() {
      List<String> missing = new ArrayList<>();
      for (Registration reg : byType.values()) {
        for (int v = 1; v < reg.schemaVersion(); v++) {
          if (!upcasters.getOrDefault(reg.type(), Map.of()).containsKey(v)) {
            missing.add(reg.type() + " v" + v + "→v" + (v + 1));
          }
        }
      }
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException("missing upcasters: " + String.join(", ", missing));
      }
      return new EventRegistry(this);
    }
  }
}
