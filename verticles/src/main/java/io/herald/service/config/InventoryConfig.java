package io.herald.service.config;

/**
 * The inventory service ({@code inventory.*}): commands on one SKU are queued and decided in batches.
 *
 * @param maxBatch        most commands of one SKU decided and appended together
 * @param maxQueuedPerSku most commands waiting for one SKU; more are answered "busy, retry" (429) at once. A full
 *                        queue must drain well within {@code saga.stepTimeoutMs}.
 * @param cachedSkus      most SKUs kept in memory as their last batch left them (fewer loads from the store)
 */
public record InventoryConfig(int maxBatch, int maxQueuedPerSku, int cachedSkus) {
}
