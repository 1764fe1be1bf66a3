package io.herald.service.config;

/**
 * The order service ({@code order.*}).
 *
 * @param snapshotEvery store a snapshot of an order every this many events
 */
public record OrderConfig(int snapshotEvery) {
}
