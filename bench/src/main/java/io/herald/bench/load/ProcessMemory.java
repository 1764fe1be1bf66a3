package io.herald.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.OptionalLong;

/**
 * Reads {@link MemoryFigures} of this JVM, which holds the in-process node and the driver alike. It never asks for a
 * collection: the heap figure worth comparing over time is what the old generation kept after the collector's own
 * last pass over it.
 */
final class ProcessMemory {

  static final String STATUS_FILE = "/proc/self/status";
  private static final String RSS_FIELD = "VmRSS:";
  private static final long KIB = 1_024;

  private final Vertx vertx;
  private final MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
  private final MemoryPoolMXBean oldGeneration = oldGeneration();
  private final boolean counting;

  ProcessMemory(Vertx vertx) {
    this.vertx = vertx;
    this.counting = countCollections(oldGeneration);
  }

  /** @return the figures; the resident set is read through Vert.x's file system, off the event loop */
  Future<MemoryFigures> read() {
    OptionalLong afterCollection = afterOldCollection();
    OptionalLong collections = counting ? OptionalLong.of(oldGeneration.getCollectionUsageThresholdCount()) : OptionalLong.empty();
    long now = heap.getHeapMemoryUsage().getUsed();
    return vertx.fileSystem().readFile(STATUS_FILE)
        .map(status -> residentSet(status.toString()))
        .otherwise(OptionalLong.empty())
        .map(rss -> new MemoryFigures(afterCollection, collections, now, rss));
  }

  /**
   * The JVM counts the collections after which a pool still holds at least its collection usage threshold: with the
   * threshold at one byte, that is every collection that refreshes the pool's collection usage, G1's mixed ones
   * included (which its collector beans count as young). A threshold someone else set is left alone, uncounted.
   */
  private static boolean countCollections(MemoryPoolMXBean pool) {
    if (pool == null || !pool.isCollectionUsageThresholdSupported()) {
      return false;
    }
    if (pool.getCollectionUsageThreshold() == 0) {
      pool.setCollectionUsageThreshold(1);
    }
    return pool.getCollectionUsageThreshold() == 1;
  }

  private OptionalLong afterOldCollection() {
    MemoryUsage usage = oldGeneration == null ? null : oldGeneration.getCollectionUsage();
    // zero until the pool's first collection: G1's young pauses leave its old generation's figure alone
    return usage == null || usage.getUsed() == 0 ? OptionalLong.empty() : OptionalLong.of(usage.getUsed());
  }

  /** @return the heap pool of the old generation: G1's "G1 Old Gen", Parallel's "PS Old Gen", Serial's "Tenured Gen" */
  private static MemoryPoolMXBean oldGeneration() {
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(pool -> pool.getType() == MemoryType.HEAP)
        .filter(pool -> pool.getName().contains("Old Gen") || pool.getName().contains("Tenured"))
        .findFirst().orElse(null);
  }

  /** @return the {@code VmRSS} of a {@code /proc/<pid>/status} text, in bytes; empty when it has none */
  static OptionalLong residentSet(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith(RSS_FIELD)) {
        String[] parts = line.substring(RSS_FIELD.length()).trim().split("\\s+");
        try {
          long value = Long.parseLong(parts[0]);
          return parts.length > 1 && parts[1].equalsIgnoreCase("kB") ? OptionalLong.of(value * KIB) : OptionalLong.empty();
        } catch (NumberFormatException e) {
          return OptionalLong.empty();
        }
      }
    }
    return OptionalLong.empty();
  }
}
