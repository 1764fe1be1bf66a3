package io.herald.shipping;

import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.contract.ServiceAddresses;
import io.herald.event.EventFactory;
import io.herald.event.EventJson;
import io.herald.event.domain.Address;
import io.herald.event.domain.ShipmentCreated;
import io.herald.service.SagaReactions;
import io.herald.service.ServiceContext;
import io.herald.store.ConcurrencyConflictException;
import io.herald.store.EventStore;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;

/**
 * The shipping service: one shipment per order, id {@code shp-<orderId>}, so asking twice creates it once.
 * Actions on {@value ServiceAddresses#SHIPPING}: {@code create {orderId, address}} answers {@code {shipmentId, position}};
 * {@code get {orderId}}. With {@code saga.mode: choreography} it also takes its part in the order saga
 * ({@link ShippingSagaReactions}).
 */
public final class ShippingService extends VerticleBase {

  private final ServiceContext ctx;
  private final EventFactory events;
  private SagaReactions reactions;

  public ShippingService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.events = new EventFactory(ctx.events(), "shipping");
  }

  public static String shipmentId(String orderId) {
    return "shp-" + orderId;
  }

  @Override
  public Future<?> start() {
    return CommandEndpoint.on(vertx, ServiceAddresses.SHIPPING)
        .action("create", this::create)
        .action("get", this::get)
        .listen()
        .compose(listening -> SagaReactions.start(ctx, ShippingSagaReactions.GROUP, ShippingSagaReactions.TYPES,
            new ShippingSagaReactions(ctx.store(), this::create)::react))
        .onSuccess(started -> reactions = started);
  }

  @Override
  public Future<?> stop() {
    return SagaReactions.stop(reactions);
  }

  private Future<JsonObject> create(JsonObject body) {
    String orderId = body.getString("orderId");
    JsonObject address = body.getJsonObject("address");
    if (orderId == null || orderId.isBlank() || address == null) {
      throw CommandFailedException.invalid("orderId and address are required");
    }
    String shipmentId = shipmentId(orderId);
    ShipmentCreated created = new ShipmentCreated(shipmentId, orderId,
        EventJson.fromMap("shipment.created", address.getMap(), Address.class));
    String correlation = body.getString("correlationId");
    return ctx.store().append(stream(orderId), EventStore.NO_STREAM,
            List.of(correlation == null ? events.create(created) : events.correlated(correlation, null, created)))
        .map(appended -> new JsonObject().put("shipmentId", shipmentId).put("position", appended.lastPosition()))
        .recover(err -> err instanceof ConcurrencyConflictException
            ? Future.succeededFuture(new JsonObject().put("shipmentId", shipmentId))
            : Future.failedFuture(err));
  }

  private Future<JsonObject> get(JsonObject body) {
    String orderId = body.getString("orderId", "");
    return ctx.store().readStream(stream(orderId), 1).compose(recorded -> recorded.isEmpty()
        ? Future.failedFuture(CommandFailedException.notFound("no shipment for order " + orderId))
        : Future.succeededFuture(new JsonObject()
            .put("shipmentId", shipmentId(orderId)).put("orderId", orderId)
            .put("address", new JsonObject(EventJson.toMap(((ShipmentCreated) recorded.get(0).data()).address())))
            .put("createdAt", recorded.get(0).envelope().time().toString())));
  }

  private static String stream(String orderId) {
    return "shipment-" + shipmentId(orderId);
  }
}
