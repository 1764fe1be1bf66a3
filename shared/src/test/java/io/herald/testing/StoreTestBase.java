package io.herald.testing;

import io.herald.store.EventStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One Vert.x instance and one store per test class, opened by the subclass and closed after the last test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class StoreTestBase {

  protected Vertx vertx;
  protected EventStore store;

  /** Opens an empty store of the implementation under test. */
  protected abstract EventStore openStore(Vertx vertx) throws Exception;

  @BeforeAll
  void openStoreAndVertx() throws Exception {
    vertx = Vertx.vertx();
    store = openStore(vertx);
  }

  @AfterAll
  void closeStoreAndVertx() {
    if (store != null) {
      Futures.await(store.close());
    }
    Futures.await(vertx.close());
  }
}
