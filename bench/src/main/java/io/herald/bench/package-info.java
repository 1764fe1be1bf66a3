/**
 * Herald's benchmark: JMH round trips of the envelope codec and the CloudEvents JSON form, and closed-loop
 * append, read and catch-up cases against PostgreSQL beside a raw {@code vertx-pg-client} baseline.
 * Entry point: {@link io.herald.bench.Bench}, which also runs the tools of the sub-packages: {@code load}
 * (orders through a node's HTTP API, and reservations on the inventory service), {@code feeds} (many feed
 * clients on one node) and {@code publish} (the broker adapters beside the brokers' own clients).
 */
package io.herald.bench;
