package io.herald.aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The aggregates a repository handled last, as it left them, least recently used forgotten first. Shared by the
 * threads that call one repository, so every access takes this object's lock (a map lookup, never a callback).
 *
 * @param <S> the state type
 */
final class RecentAggregates<S> {

  private final int capacity;
  // guarded by this; access order: the eldest entry is the least recently used
  private final LinkedHashMap<String, Loaded<S>> byId;

  RecentAggregates(int capacity) {
    this.capacity = capacity;
    this.byId = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Loaded<S>> eldest) {
        return size() > RecentAggregates.this.capacity;
      }
    };
  }

  /** @return the aggregate as last seen, or {@code null} */
  synchronized Loaded<S> get(String id) {
    return capacity == 0 ? null : byId.get(id);
  }

  /** Remembers an aggregate, unless a later version of it is remembered already. */
  synchronized void put(Loaded<S> loaded) {
    if (capacity == 0) {
      return;
    }
    Loaded<S> known = byId.get(loaded.id());
    if (known == null || known.version() <= loaded.version()) {
      byId.put(loaded.id(), loaded);
    }
  }

  /** Forgets an aggregate whose remembered state may be stale. */
  synchronized void forget(String id) {
    byId.remove(id);
  }

  synchronized int size() {
    return byId.size();
  }
}
