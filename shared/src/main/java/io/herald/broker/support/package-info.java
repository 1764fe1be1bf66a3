/**
 * What the adapters share beside the SPI: the subscription they return, the active-member lease of the adapters
 * that run one active member per group. An adapter of its own builds on these and on {@link io.herald.broker.lanes}.
 */
package io.herald.broker.support;
