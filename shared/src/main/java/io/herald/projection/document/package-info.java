/**
 * Read models as JSON documents kept by projections: {@link io.herald.projection.document.DocumentStore} with
 * an in-memory and a PostgreSQL implementation, written through a
 * {@link io.herald.projection.document.DocumentProjector} per projection.
 */
package io.herald.projection.document;
