package io.herald.projection.document;

import io.herald.event.RecordedEvent;
import io.herald.projection.ProjectionHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Documents in this process's memory, for the embedded profile and tests. Documents are copied in and out, so a
 * caller never changes a stored one by accident. Safe to use from any thread.
 */
public final class InMemoryDocumentStore implements DocumentStore {

  private final Map<String, Collection> collections = new HashMap<>();

  @Override
  public synchronized Future<Optional<JsonObject>> get(String collection, String id) {
    Collection c = collections.get(collection);
    Stored stored = c == null ? null : c.byId.get(id);
    return Future.succeededFuture(stored == null ? Optional.empty() : Optional.of(stored.doc.copy()));
  }

  @Override
  public synchronized Future<List<JsonObject>> find(String collection, DocumentQuery query) {
    Collection c = collections.get(collection);
    List<JsonObject> found = new ArrayList<>();
    if (c != null) {
      for (Stored stored : c.bySeq.tailMap(new SeqKey(query.afterSeq() + 1, ""), true).values()) {
        if (query.matches(stored.doc)) {
          found.add(stored.doc.copy());
          if (found.size() == query.limit()) {
            break;
          }
        }
      }
    }
    return Future.succeededFuture(found);
  }

  @Override
  public ProjectionHandler projection(String name, Set<String> owned, DocumentProjector projector) {
    Objects.requireNonNull(projector, "projector");
    Set<String> ownedCollections = Set.copyOf(owned);
    return new ProjectionHandler() {
      @Override
      public Future<Void> apply(RecordedEvent event) {
        return projector.apply(new Writer(event.position()), event);
      }

      @Override
      public Future<Void> reset() {
        synchronized (InMemoryDocumentStore.this) {
          ownedCollections.forEach(collections::remove);
        }
        return Future.succeededFuture();
      }
    };
  }

  private synchronized void put(String collection, String id, long seq, JsonObject doc) {
    Collection c = collections.computeIfAbsent(collection, k -> new Collection());
    Stored previous = c.byId.get(id);
    Stored stored = new Stored(previous == null ? new SeqKey(seq, id) : previous.key, doc.copy());
    c.byId.put(id, stored);
    c.bySeq.put(stored.key, stored);
  }

  private synchronized void delete(String collection, String id) {
    Collection c = collections.get(collection);
    Stored removed = c == null ? null : c.byId.remove(id);
    if (removed != null) {
      c.bySeq.remove(removed.key);
    }
  }

  private final class Writer implements DocumentWriter {
    private final long position;

    Writer(long position) {
      this.position = position;
    }

    @Override
    public Future<Optional<JsonObject>> get(String collection, String id) {
      return InMemoryDocumentStore.this.get(collection, id);
    }

    @Override
    public Future<Void> put(String collection, String id, JsonObject doc) {
      InMemoryDocumentStore.this.put(collection, id, position, doc);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> delete(String collection, String id) {
      InMemoryDocumentStore.this.delete(collection, id);
      return Future.succeededFuture();
    }
  }

  private record SeqKey(long seq, String id) implements Comparable<SeqKey> {
    @Override
    public int compareTo(SeqKey other) {
      int bySeq = Long.compare(seq, other.seq);
      return bySeq != 0 ? bySeq : id.compareTo(other.id);
    }
  }

  private record Stored(SeqKey key, JsonObject doc) {
  }

  private static final class Collection {
    final Map<String, Stored> byId = new HashMap<>();
    final TreeMap<SeqKey, Stored> bySeq = new TreeMap<>();
  }
}
