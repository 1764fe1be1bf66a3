package io.herald.projection.document;

import io.herald.store.EventStore;
import io.herald.store.memory.InMemoryEventStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.DisplayName;

@DisplayName("Documents in memory")
class InMemoryDocumentStoreTest extends DocumentStoreContract {

  @Override
  protected EventStore openStore(Vertx vertx) {
    return new InMemoryEventStore(vertx);
  }

  @Override
  protected DocumentStore openDocuments(EventStore store) {
    return new InMemoryDocumentStore();
  }
}
