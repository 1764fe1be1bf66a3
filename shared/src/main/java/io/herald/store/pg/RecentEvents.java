package io.herald.store.pg;

import io.herald.event.RecordedEvent;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The events decoded last, by global position, so that the subscriptions of one store do not each parse the same
 * rows again. Under load they read the same part of the global order a few pages apart (the relay, every read model,
 * the saga starter, the feeds), and parsing each row's JSON was most of what a read cost.
 *
 * <p>A row is still read from PostgreSQL every time: what a page holds, and so gap safety, is decided by the query as
 * before. Only the decoding is reused, for a row whose position and event id match an event decoded earlier; a
 * committed event never changes. Each slot holds the latest event decoded at any position that falls into it
 * (position modulo the capacity). The events handed out are shared, as those of a shared read already were.
 */
final class RecentEvents {

  private static final int MAX_SLOTS = 1 << 16;

  private final AtomicReferenceArray<RecordedEvent> slots;
  private final int mask;

  /** @param events about how many of the latest events to keep; rounded up to a power of two, at most 65,536 */
  RecentEvents(int events) {
    int size = Integer.highestOneBit(Math.max(1, Math.min(MAX_SLOTS, events)) * 2 - 1);
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
  }

  /** @return the event decoded at {@code position} with this id, or {@code null} */
  RecordedEvent get(long position, UUID id) {
    RecordedEvent kept = slots.get((int) (position & mask));
    return kept != null && kept.position() == position && kept.envelope().id().equals(id) ? kept : null;
  }

  void put(RecordedEvent event) {
    slots.set((int) (event.position() & mask), event);
  }

  int capacity() {
    return slots.length();
  }
}
