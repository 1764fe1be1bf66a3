/**
 * Projections: read models kept up to date from the global order, with stored checkpoints, rebuild from
 * position 1 while running, state and lag, and read-your-writes waits.
 */
package io.herald.projection;
