package io.herald.inventory;

import io.herald.aggregate.AggregateNotFoundException;
import io.herald.aggregate.AggregateRepository;
import io.herald.aggregate.BatchingOptions;
import io.herald.aggregate.CommandBatcher;
import io.herald.aggregate.CommandResult;
import io.herald.aggregate.RepositoryOptions;
import io.herald.broker.BrokerSubscription;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.command.Fields;
import io.herald.contract.QueueDepths;
import io.herald.contract.ServiceAddresses;
import io.herald.event.DomainEvent;
import io.herald.event.EventFactory;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.InventoryAdjusted;
import io.herald.event.domain.InventoryReleased;
import io.herald.event.domain.InventoryReservationFailed;
import io.herald.event.domain.InventoryReserved;
import io.herald.service.ReadModel;
import io.herald.service.SagaReactions;
import io.herald.service.ServiceContext;
import io.herald.service.config.InventoryConfig;
import io.herald.projection.document.DocumentWriter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The inventory service. Actions on {@value ServiceAddresses#INVENTORY}: {@code set {sku, available}},
 * {@code reserve {sku, orderId, quantity}} (409 when out of stock), {@code release {sku, orderId, reason, close?}}
 * ({@code close}: an order holding nothing is closed, so a late reservation changes nothing),
 * {@code get {sku}} from the {@code inventory} read model ({@code {sku, available, reserved}}). On {@code order.shipped}
 * it settles the order's reservations ({@link InventoryShipments}). With
 * {@code saga.mode: choreography} it also takes its part in the order saga ({@link InventorySagaReactions}).
 */
public final class InventoryService extends VerticleBase {

  static final String INVENTORY = "inventory";

  private final ServiceContext ctx;
  // a popular SKU gets many commands at once (a flash sale): queued per SKU and decided in batches, one append
  // each, so they never race each other and a hot SKU costs store round trips per batch, not per order
  private final CommandBatcher<InventoryState> stock;
  private final EventFactory events;
  private ReadModel view;
  private SagaReactions reactions;
  private BrokerSubscription shipments;
  private QueueDepths.Reporter depth;

  public InventoryService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.events = new EventFactory(ctx.events(), "inventory");
    InventoryConfig config = ctx.config().inventory();
    this.stock = new CommandBatcher<>(new AggregateRepository<>(ctx.store(), new InventoryAggregate(), events,
        RepositoryOptions.defaults()), new BatchingOptions(config.maxBatch(), config.maxQueuedPerSku(), config.cachedSkus()));
  }

  @Override
  public Future<?> start() {
    return ReadModel.start(ctx, INVENTORY, Set.of(INVENTORY), InventoryService::project)
        .compose(model -> {
          view = model;
          return CommandEndpoint.on(vertx, ServiceAddresses.INVENTORY)
              .action("set", this::set)
              .action("reserve", this::reserve)
              .action("release", this::release)
              .action("get", this::get)
              .listen();
        })
        .compose(listening -> ctx.consumers().atLeastOnce(InventoryShipments.GROUP, InventoryShipments.TYPES,
            new InventoryShipments(this, ctx.store())::react))
        .compose(settling -> {
          shipments = settling;
          return SagaReactions.start(ctx, InventorySagaReactions.GROUP, InventorySagaReactions.TYPES,
              new InventorySagaReactions(this, ctx.store(), events)::react);
        })
        .onSuccess(started -> {
          reactions = started;
          depth = QueueDepths.report(vertx, ctx.metrics(), INVENTORY, stock::waiting, ctx.config().backpressure().reportIntervalMs());
        });
  }

  @Override
  public Future<?> stop() {
    if (depth != null) {
      depth.close();
    }
    return SagaReactions.stop(reactions)
        .eventually(() -> shipments == null ? Future.succeededFuture() : shipments.close())
        .eventually(() -> ReadModel.stopAll(view));
  }

  private Future<JsonObject> set(JsonObject body) {
    String sku = Fields.text(body, "sku");
    Integer available = body.getInteger("available");
    if (available == null) {
      throw CommandFailedException.invalid("available: required, a whole number of at least 0");
    }
    return stock.submit(sku, s -> InventoryAggregate.set(s, available)).map(InventoryService::reply);
  }

  private Future<JsonObject> reserve(JsonObject body) {
    String sku = Fields.text(body, "sku");
    String orderId = Fields.text(body, "orderId");
    int quantity = body.getInteger("quantity", 0);
    return stock.submit(sku, body.getString("correlationId"), null, s -> {
          InventoryAggregate.requireStocked(s);
          return InventoryAggregate.reserve(s, orderId, quantity);
        })
        .compose(result -> result.events().stream().anyMatch(e -> e.data() instanceof InventoryReservationFailed)
            ? Future.failedFuture(CommandFailedException.conflict(
                ((InventoryReservationFailed) result.events().get(0).data()).reason()))
            : Future.succeededFuture(reply(result)));
  }

  /**
   * Reserves one line for a choreographed saga: out of stock and never stocked are both recorded as
   * {@code inventory.reservation-failed}, the fact the order reacts to.
   *
   * @return {@code null} once the units are held for the order, otherwise why not (refused, or the order's
   *     reservation of this SKU was closed by a compensation)
   */
  Future<String> reserveForSaga(String sku, String orderId, int quantity, String correlationId, String causationId) {
    return stock.submit(sku, correlationId, causationId, s -> s.state().exists()
            ? InventoryAggregate.reserve(s, orderId, quantity)
            : InventoryAggregate.refuseUnstocked(s, orderId, quantity))
        .map(result -> {
          if (!result.events().isEmpty() && result.events().get(0).data() instanceof InventoryReservationFailed failed) {
            return failed.reason();
          }
          InventoryState state = result.aggregate().state();
          Integer held = state.reservations().get(orderId);
          return held != null && held > 0 || state.shipped().contains(orderId) ? null
              : "the reservation of " + sku + " for order " + orderId + " is closed";
        });
  }

  /** Settles an order's reservation of one SKU once the order shipped ({@link InventoryShipments}). */
  Future<Void> settleShipped(String sku, String orderId, String shipmentId, String correlationId, String causationId) {
    return stock.submit(sku, correlationId, causationId, s -> InventoryAggregate.ship(s, orderId, shipmentId)).mapEmpty();
  }

  /** Gives an order's units of one SKU back and closes its reservation, for a choreographed saga. */
  Future<Void> releaseForSaga(String sku, String orderId, String reason, String correlationId, String causationId) {
    return stock.submit(sku, correlationId, causationId,
        s -> s.state().exists() ? InventoryAggregate.release(s, orderId, reason, true) : List.<DomainEvent>of()).mapEmpty();
  }

  private Future<JsonObject> release(JsonObject body) {
    String sku = Fields.text(body, "sku");
    String orderId = Fields.text(body, "orderId");
    String reason = body.getString("reason", "released");
    boolean close = body.getBoolean("close", false);
    return stock.submit(sku, body.getString("correlationId"), null, s -> InventoryAggregate.release(s, orderId, reason, close))
        .map(InventoryService::reply);
  }

  private Future<JsonObject> get(JsonObject query) {
    String sku = Fields.text(query, "sku");
    return view.awaitPosition(query)
        .compose(v -> view.get(INVENTORY, sku))
        .compose(doc -> doc.isPresent() ? Future.succeededFuture(doc.get())
            : Future.failedFuture(new AggregateNotFoundException(sku, "sku " + sku + " not found")));
  }

  private static JsonObject reply(CommandResult<InventoryState> result) {
    InventoryState s = result.aggregate().state();
    return new JsonObject().put("sku", result.aggregate().id()).put("available", s.available()).put("reserved", s.reserved())
        .put("position", result.changed() ? result.append().lastPosition() : 0L);
  }

  static Future<Void> project(DocumentWriter writer, RecordedEvent event) {
    if (event.data() instanceof InventoryAdjusted a) {
      return writer.update(INVENTORY, a.sku(), doc -> stock(doc, a.sku()).put("available", a.available()));
    }
    if (event.data() instanceof InventoryReserved r) {
      return writer.update(INVENTORY, r.sku(), doc -> add(stock(doc, r.sku()), -r.quantity(), r.quantity()));
    }
    if (event.data() instanceof InventoryReleased r) {
      return writer.update(INVENTORY, r.sku(), doc -> add(stock(doc, r.sku()), r.quantity(), -r.quantity()));
    }
    return Future.succeededFuture();
  }

  private static JsonObject stock(JsonObject doc, String sku) {
    return doc != null ? doc : new JsonObject().put("sku", sku).put("available", 0).put("reserved", 0);
  }

  private static JsonObject add(JsonObject doc, int available, int reserved) {
    return doc.put("available", doc.getInteger("available") + available).put("reserved", doc.getInteger("reserved") + reserved);
  }

}
