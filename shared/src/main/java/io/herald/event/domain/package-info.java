/** The blueprint's domain events: immutable records, registered in {@link io.herald.event.domain.BlueprintEvents}. */
package io.herald.event.domain;
