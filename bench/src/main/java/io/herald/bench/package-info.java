/**
 * Herald's benchmark: JMH round trips of the envelope codec and the CloudEvents JSON form, and closed-loop
 * append, read and catch-up cases against PostgreSQL beside a raw {@code vertx-pg-client} baseline.
 * Entry point: {@link io.herald.bench.Bench}.
 */
package io.herald.bench;
