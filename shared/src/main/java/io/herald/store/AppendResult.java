package io.herald.store;

/**
 * The outcome of a successful append.
 *
 * @param streamId      the stream appended to
 * @param nextVersion   the stream's version after the append (the last event's version)
 * @param firstPosition global position of the first appended event
 * @param lastPosition  global position of the last appended event; positions of one append are contiguous
 */
public record AppendResult(String streamId, long nextVersion, long firstPosition, long lastPosition) {
}
