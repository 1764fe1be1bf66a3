package io.herald.event;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names a {@link DomainEvent} record: its CloudEvents {@code type}, its aggregate type and its current schema version. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {

  /** @return the event type name, dotted lower-case, for example {@code order.created} */
  String value();

  /** @return the aggregate type, for example {@code order}; carried as the {@code aggregatetype} extension */
  String aggregate();

  /** @return the current schema version of the record; older stored versions are upcast on read */
  int version() default 1;
}
