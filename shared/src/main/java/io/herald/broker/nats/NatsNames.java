package io.herald.broker.nats;

import io.herald.broker.TypePatterns;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Every JetStream name the broker uses, derived from its namespace (production: {@code events}):
 * <ul>
 *   <li>stream {@code EVENTS} on subjects {@code events.>}, one subject per event type: {@code events.order.created};</li>
 *   <li>stream {@code EVENTS_DEAD} on {@code events_dead.>}, a group's dead letters on {@code events_dead.<group>}
 *       (JetStream refuses streams with overlapping subjects, so dead letters cannot live under {@code events.>});</li>
 *   <li>key-value bucket {@code EVENTS_LEASES}, one key per consumer group, holding the active member's lease;</li>
 *   <li>a durable pull consumer per group, named like the group, filtered by {@link #filterSubject}.</li>
 * </ul>
 * Immutable and thread-safe.
 */
final class NatsNames {

  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_-]+");

  private final String namespace;
  private final String stream;

  NatsNames(String namespace) {
    this.namespace = namespace;
    this.stream = namespace.toUpperCase(Locale.ROOT);
  }

  String namespace() {
    return namespace;
  }

  String stream() {
    return stream;
  }

  String streamSubjects() {
    return namespace + ".>";
  }

  String deadStream() {
    return stream + "_DEAD";
  }

  String deadStreamSubjects() {
    return namespace + "_dead.>";
  }

  String deadSubject(String group) {
    return namespace + "_dead." + group;
  }

  String leaseBucket() {
    return stream + "_LEASES";
  }

  /** @return the subject an event of {@code type} is published on */
  String subject(String type) {
    return namespace + "." + type;
  }

  /** @return the event type a subject of the event stream stands for, or {@code null} when it is not one */
  String typeOf(String subject) {
    String prefix = namespace + ".";
    return subject != null && subject.startsWith(prefix) ? subject.substring(prefix.length()) : null;
  }

  /**
   * The durable consumer's filter: the narrowest subject that holds every type the patterns match. A pattern's
   * literal whole tokens before its first {@code *} become the subject prefix ({@code order.*} →
   * {@code events.order.>}, {@code user.registered} → {@code events.user.registered}); patterns that share no
   * such subject (NATS 2.9 allows one filter per consumer) fall back to {@code events.>}. Receivers still filter
   * with {@link TypePatterns#matches}, since a {@code *} of a type pattern spans dots.
   */
  String filterSubject(TypePatterns patterns) {
    Set<String> filters = new LinkedHashSet<>();
    for (String p : patterns.patterns()) {
      int star = p.indexOf('*');
      if (star < 0) {
        filters.add(subject(p));
        continue;
      }
      int lastDot = p.lastIndexOf('.', star);
      filters.add(lastDot < 0 ? streamSubjects() : namespace + "." + p.substring(0, lastDot) + ".>");
    }
    return filters.size() == 1 ? filters.iterator().next() : streamSubjects();
  }

  /** @throws IllegalArgumentException when the group name cannot be a consumer name, a subject token and a key */
  static void validateGroup(String group) {
    if (group == null || !GROUP.matcher(group).matches()) {
      throw new IllegalArgumentException("consumer group '" + group
          + "' must be letters, digits, '-' or '_' (it names a JetStream consumer)");
    }
  }

  /** @throws IllegalArgumentException when the type cannot be a subject (empty tokens, wildcards, whitespace) */
  static void validateType(String type) {
    if (type == null || type.isEmpty() || type.startsWith(".") || type.endsWith(".") || type.contains("..")) {
      throw new IllegalArgumentException("event type '" + type + "' cannot be a NATS subject");
    }
    for (int i = 0; i < type.length(); i++) {
      char c = type.charAt(i);
      if (c == '*' || c == '>' || Character.isWhitespace(c)) {
        throw new IllegalArgumentException("event type '" + type + "' cannot be a NATS subject");
      }
    }
  }
}
