package io.herald.store;

/**
 * A reader's stored position and the epoch of the writer it belongs to.
 *
 * @param position the last global position handled, 0 for none
 * @param epoch    the fencing token of the writer allowed to move it; 0 until one claims it
 */
public record Checkpoint(long position, long epoch) {
}
