package io.herald.bench.load;

import java.util.OptionalLong;

/**
 * This process's memory at one moment, in bytes.
 *
 * @param heapAfterOldCollection heap in use in the old generation after its last collection (mixed or full): flat
 *                               when nothing leaks; empty until the first such collection, or under a collector
 *                               without an old generation
 * @param oldCollections         collections of the old generation since the JVM started, the ones that refresh
 *                               {@code heapAfterOldCollection}: while it stands still, so does that figure; empty
 *                               where the collector cannot count them
 * @param heapNow                heap in use now, garbage included
 * @param rss                    the resident set ({@code VmRSS}); empty where {@code /proc/self/status} is missing
 */
record MemoryFigures(OptionalLong heapAfterOldCollection, OptionalLong oldCollections, long heapNow, OptionalLong rss) {
}
