package io.herald.shipping;

import io.herald.contract.OrderFacts;
import io.herald.event.EventJson;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderPaid;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.function.Function;

/**
 * The shipping's part of the choreographed order saga (consumer group {@value #GROUP}, at least once): a paid order
 * ({@code order.paid}) is shipped to the address its {@code order.created} carries, one shipment per order. An order
 * cancelled since is not shipped.
 */
final class ShippingSagaReactions {

  static final String GROUP = "shipping-saga";
  static final List<String> TYPES = List.of("order.paid");

  private final EventStore store;
  private final Function<JsonObject, Future<JsonObject>> create;

  /** @param create the service's create action */
  ShippingSagaReactions(EventStore store, Function<JsonObject, Future<JsonObject>> create) {
    this.store = store;
    this.create = create;
  }

  Future<Void> react(RecordedEvent event) {
    if (!(event.data() instanceof OrderPaid paid)) {
      return Future.succeededFuture();
    }
    return OrderFacts.read(store, paid.orderId()).compose(order -> order.cancelled()
        ? Future.succeededFuture()
        : create.apply(new JsonObject()
                .put("orderId", paid.orderId())
                .put("address", new JsonObject(EventJson.toMap(order.created().shippingAddress())))
                .put("correlationId", OrderFacts.sagaId(paid.orderId())))
            .mapEmpty());
  }
}
