package io.herald.store.pg;

import io.herald.event.EventRegistry;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;

/** A schema of its own for one test class: connect a store to it, drop it afterwards. */
public final class FreshSchema {

  private final PgStoreOptions options;

  public FreshSchema(String prefix) {
    this.options = PgTestDatabase.freshSchema(prefix);
  }

  public PgStoreOptions options() {
    return options;
  }

  /** @return a store on this schema, created and migrated */
  public PgEventStore connect(Vertx vertx, EventRegistry registry) {
    return Futures.await(PgEventStore.connect(vertx, options, registry));
  }

  /** Drops the schema and everything in it, with a Vert.x instance of its own. */
  public void drop() {
    Vertx admin = Vertx.vertx();
    try {
      PgTestDatabase.drop(admin, options);
    } finally {
      Futures.await(admin.close());
    }
  }
}
