package io.herald.launcher.config;

/**
 * The order service ({@code order.*}).
 *
 * @param snapshotEvery store a snapshot of an order every this many events
 */
public record OrderConfig(int snapshotEvery) {

  static OrderConfig read(ConfigValues values) {
    return new OrderConfig(values.integer("order.snapshotEvery", 50, 1, 1_000_000));
  }
}
