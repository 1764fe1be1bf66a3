package io.herald.order;

import io.herald.aggregate.AggregateRepository;
import io.herald.aggregate.CommandResult;
import io.herald.aggregate.Loaded;
import io.herald.aggregate.RepositoryOptions;
import io.herald.command.CommandEndpoint;
import io.herald.command.CommandFailedException;
import io.herald.command.CommandFailure;
import io.herald.command.Fields;
import io.herald.contract.CommandFields;
import io.herald.contract.ServiceAddresses;
import io.herald.event.DomainEvent;
import io.herald.event.EventFactory;
import io.herald.event.EventIds;
import io.herald.event.EventJson;
import io.herald.event.domain.Address;
import io.herald.event.domain.OrderItem;
import io.herald.idempotency.IdempotentIds;
import io.herald.service.ReadModel;
import io.herald.service.SagaReactions;
import io.herald.service.ServiceContext;
import io.herald.projection.document.DocumentQuery;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The order service: the event-sourced Order aggregate (snapshot every {@code order.snapshotEvery} events) and
 * its read model. Actions on {@value ServiceAddresses#ORDER}: {@code create} (with an optional
 * {@value CommandFields#IDEMPOTENCY_KEY}), {@code findCreated} (what a keyed create answered, once stored),
 * {@code pay}, {@code ship}, {@code cancel}, {@code get}, {@code list}, and for sagas, which charge and ship
 * themselves, {@code markPaid} and {@code markShipped}. Paying asks the payment service to charge the token given at
 * checkout, shipping asks the shipping service for a shipment, cancelling an order refunds whatever was charged for it
 * ({@code cancel} with {@code onlyPending}, as a saga's deadline sends it, refuses an order already paid). With
 * {@code saga.mode: choreography} it also takes its part in the order saga ({@link OrderSagaReactions}).
 */
public final class OrderService extends VerticleBase {

  private static final String IDEMPOTENCY_KEY = CommandFields.IDEMPOTENCY_KEY;

  private final ServiceContext ctx;
  private final AggregateRepository<OrderState> orders;
  private ReadModel ordersView;
  private ReadModel usersReplica;
  private SagaReactions reactions;

  public OrderService(ServiceContext ctx) {
    this.ctx = Objects.requireNonNull(ctx, "ctx");
    this.orders = new AggregateRepository<>(ctx.store(), new OrderAggregate(), new EventFactory(ctx.events(), "order"),
        new RepositoryOptions(ctx.config().order().snapshotEvery(), RepositoryOptions.DEFAULT_MAX_CONFLICT_RETRIES));
  }

  @Override
  public Future<?> start() {
    // orders are listed by user and by status
    return ctx.documents().indexField(OrderProjection.ORDERS, "userId")
        .compose(v -> ctx.documents().indexField(OrderProjection.ORDERS, "status"))
        .compose(v -> ReadModel.start(ctx, OrderProjection.USERS, Set.of(OrderProjection.USERS), OrderProjection::users))
        .compose(users -> {
          usersReplica = users;
          return ReadModel.start(ctx, OrderProjection.ORDERS, Set.of(OrderProjection.ORDERS), OrderProjection::orders);
        })
        .compose(view -> {
          ordersView = view;
          return CommandEndpoint.on(vertx, ServiceAddresses.ORDER)
              .action("create", this::create)
              .action("findCreated", this::findCreated)
              .action("pay", this::pay)
              .action("ship", this::ship)
              .action("cancel", this::cancel)
              .action("markPaid", this::markPaid)
              .action("markShipped", this::markShipped)
              .action("get", this::get)
              .action("list", this::list)
              .listen();
        })
        .compose(listening -> SagaReactions.start(ctx, OrderSagaReactions.GROUP, OrderSagaReactions.TYPES,
            new OrderSagaReactions(new OrderSagaReactions.Actions(this::cancel, this::markPaid, this::markShipped),
                ctx.store(), ctx.commands(), ctx.config().payment().timeoutMs())::react))
        .onSuccess(started -> reactions = started);
  }

  @Override
  public Future<?> stop() {
    return SagaReactions.stop(reactions).eventually(() -> ReadModel.stopAll(ordersView, usersReplica));
  }

  private Future<JsonObject> create(JsonObject body) {
    String userId = Fields.text(body, "userId");
    List<OrderItem> items = items(body.getJsonArray("items"));
    Address address = address(body.getJsonObject("shippingAddress"));
    JsonObject payment = body.getJsonObject("payment");
    String token = payment == null ? null : payment.getString("token");
    if (token == null || token.isBlank()) {
      throw CommandFailedException.invalid("payment.token: required");
    }
    String key = idempotencyKey(body);
    String orderId = key == null ? "ord-" + EventIds.next() : keyedOrderId(userId, key);
    // with a key, an order that exists already is this very request run before (a retry after an unknown outcome,
    // or a concurrent run the store's expected-version check refused): it is answered as it was the first time
    return user(userId)
        .compose(user -> {
          Function<Loaded<OrderState>, List<? extends DomainEvent>> decide = o -> key != null && o.exists() ? List.of()
              : OrderAggregate.create(o, userId, user.getString("email"), items, address, token);
          // a fresh id has no stream to read; a keyed one may (a retry)
          return key == null ? orders.handleNew(orderId, null, null, decide) : orders.handle(orderId, decide);
        })
        .compose(result -> result.changed()
            ? Future.succeededFuture(placed(orderId, result.append().lastPosition()))
            : created(orderId).map(Optional::orElseThrow));
  }

  /** The {@code idempotencyKey} of a create, or {@code null} without one. */
  private static String idempotencyKey(JsonObject body) {
    String key = body.getString(IDEMPOTENCY_KEY);
    if (key != null && key.isBlank()) {
      throw CommandFailedException.invalid(IDEMPOTENCY_KEY + ": must not be blank");
    }
    return key;
  }

  /** The id of the order a user places with an idempotency key: the same for every retry of that request. */
  public static String keyedOrderId(String userId, String key) {
    return IdempotentIds.derive("ord-", "order.create user " + userId, key);
  }

  /**
   * Answers whether the create a user sent with an idempotency key has stored its order: the first answer
   * ({@code orderId}, {@code position}) once it has, not found while it has not.
   */
  private Future<JsonObject> findCreated(JsonObject query) {
    String userId = Fields.text(query, "userId");
    String key = Fields.text(query, IDEMPOTENCY_KEY);
    String orderId = keyedOrderId(userId, key);
    return created(orderId).compose(found -> found.isPresent() ? Future.succeededFuture(found.get())
        : Future.failedFuture(CommandFailedException.notFound("no order was placed with idempotency key '" + key + "' yet")));
  }

  /** What placing the order answered: its id and the position of its {@code order.created}, if it exists. */
  private Future<Optional<JsonObject>> created(String orderId) {
    return ctx.store().readStream(orders.streamId(orderId), 1)
        .map(events -> events.isEmpty() ? Optional.<JsonObject>empty()
            : Optional.of(placed(orderId, events.get(0).position())));
  }

  private static JsonObject placed(String orderId, long position) {
    return new JsonObject().put("orderId", orderId).put("position", position);
  }

  /** The user from this service's replica; one registered a moment ago may not be in it yet, so wait for the head first. */
  private Future<JsonObject> user(String userId) {
    return usersReplica.get(OrderProjection.USERS, userId).compose(found -> found.isPresent()
        ? Future.succeededFuture(found.get())
        : usersReplica.awaitHead()
            .compose(v -> usersReplica.get(OrderProjection.USERS, userId))
            .compose(again -> again.isPresent() ? Future.succeededFuture(again.get())
                : Future.failedFuture(CommandFailedException.notFound("user " + userId + " not found"))));
  }

  private Future<JsonObject> pay(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String correlation = body.getString("correlationId");
    return existing(orderId).compose(order -> {
      OrderAggregate.pay(order, "check", order.state().total());   // refuses now, before charging, when the order cannot be paid
      JsonObject charge = new JsonObject().put("orderId", orderId).put("amount", order.state().total().toPlainString())
          .put("token", order.state().paymentToken()).put("correlationId", correlation);
      return ctx.commands().request(ServiceAddresses.PAYMENT, "charge", charge, ctx.config().payment().timeoutMs())
          .compose(charged -> orders.handle(orderId, correlation, null,
                  o -> OrderAggregate.pay(o, charged.getString("paymentId"), new BigDecimal(charged.getString("amount"))))
              // cancelled while the card was charged: give the money back, then report the refusal. Paid by a
              // concurrent request instead: that request used this very charge (one per order), so it stands.
              .recover(err -> existing(orderId)
                  .compose(now -> now.state().status() == OrderStatus.CANCELLED
                      ? refund(orderId, correlation, err.getMessage())
                      : Future.<Void>succeededFuture())
                  .compose(v -> Future.failedFuture(err))));
    }).map(OrderService::accepted);
  }

  private Future<JsonObject> ship(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String correlation = body.getString("correlationId");
    return existing(orderId).compose(order -> {
      OrderAggregate.ship(order, "check");   // refuses unless paid
      JsonObject shipment = new JsonObject().put("orderId", orderId)
          .put("address", new JsonObject(EventJson.toMap(order.state().address()))).put("correlationId", correlation);
      return ctx.commands().request(ServiceAddresses.SHIPPING, "create", shipment)
          .compose(created -> orders.handle(orderId, correlation, null, o -> OrderAggregate.ship(o, created.getString("shipmentId"))));
    }).map(OrderService::accepted);
  }

  /** Records a payment made by a saga; the same payment again is answered as before, without a second event. */
  private Future<JsonObject> markPaid(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String paymentId = Fields.text(body, "paymentId");
    BigDecimal amount = new BigDecimal(Fields.text(body, "amount"));
    return orders.handle(orderId, body.getString("correlationId"), null, o -> {
      OrderState s = o.state();
      boolean repeat = (s.status() == OrderStatus.PAID || s.status() == OrderStatus.SHIPPED) && paymentId.equals(s.paymentId());
      return repeat ? List.of() : OrderAggregate.pay(o, paymentId, amount);
    }).map(OrderService::accepted);
  }

  /** Records a shipment made by a saga; a repeat once shipped changes nothing. */
  private Future<JsonObject> markShipped(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String shipmentId = Fields.text(body, "shipmentId");
    return orders.handle(orderId, body.getString("correlationId"), null,
        o -> o.state().status() == OrderStatus.SHIPPED ? List.of() : OrderAggregate.ship(o, shipmentId))
        .map(OrderService::accepted);
  }

  private Future<JsonObject> cancel(JsonObject body) {
    String orderId = Fields.text(body, "orderId");
    String reason = body.getString("reason", "cancelled on request");
    String correlation = body.getString("correlationId");
    boolean onlyPending = body.getBoolean("onlyPending", false);
    return existing(orderId).compose(order -> {
      decideCancel(order, reason, onlyPending);   // refuses once shipped (or paid, with onlyPending)
      // Cancel first, then refund what the payment shows charged: deciding the refund on the order's status
      // before cancelling kept the money when a payment landed in between. A payment that lands after this
      // sees the order cancelled and refunds itself (see pay); a repeated cancel finishes an unfinished refund.
      return orders.handle(orderId, correlation, null, o -> decideCancel(o, reason, onlyPending))
          .compose(result -> refundIfCharged(orderId, correlation, reason).map(result));
    }).map(OrderService::accepted);
  }

  private static List<DomainEvent> decideCancel(Loaded<OrderState> order, String reason, boolean onlyPending) {
    return onlyPending ? OrderAggregate.cancelUnpaid(order, reason) : OrderAggregate.cancel(order, reason);
  }

  private Future<Void> refundIfCharged(String orderId, String correlation, String reason) {
    return ctx.commands().request(ServiceAddresses.PAYMENT, "get", new JsonObject().put("orderId", orderId))
        .compose(payment -> "charged".equals(payment.getString("status"))
            ? refund(orderId, correlation, reason)
            : Future.<Void>succeededFuture())
        .recover(err -> err instanceof CommandFailedException failed && failed.failure() == CommandFailure.NOT_FOUND
            ? Future.<Void>succeededFuture()
            : Future.failedFuture(err));
  }

  private Future<Void> refund(String orderId, String correlation, String reason) {
    JsonObject refund = new JsonObject().put("orderId", orderId).put("reason", reason).put("correlationId", correlation);
    return ctx.commands().request(ServiceAddresses.PAYMENT, "refund", refund, ctx.config().payment().timeoutMs()).mapEmpty();
  }

  private Future<JsonObject> get(JsonObject query) {
    String orderId = Fields.text(query, "orderId");
    return ordersView.awaitPosition(query)
        .compose(v -> ordersView.get(OrderProjection.ORDERS, orderId))
        .compose(order -> order.isPresent() ? Future.succeededFuture(order.get())
            : Future.failedFuture(CommandFailedException.notFound("order " + orderId + " not found")));
  }

  private Future<JsonObject> list(JsonObject query) {
    DocumentQuery filter = DocumentQuery.all().limit(query.getInteger("limit", 100));
    if (query.getString("userId") != null) {
      filter = filter.where("userId", query.getString("userId"));
    }
    if (query.getString("status") != null) {
      filter = filter.where("status", query.getString("status"));
    }
    DocumentQuery chosen = filter;
    return ordersView.awaitPosition(query)
        .compose(v -> ordersView.find(OrderProjection.ORDERS, chosen))
        .map(found -> new JsonObject().put("orders", new JsonArray(found)));
  }

  private Future<Loaded<OrderState>> existing(String orderId) {
    return orders.load(orderId).compose(order -> order.exists() ? Future.succeededFuture(order)
        : Future.failedFuture(new OrderNotFoundException(orderId)));
  }

  private static JsonObject accepted(CommandResult<OrderState> result) {
    JsonObject reply = new JsonObject().put("status", result.aggregate().state().status().name().toLowerCase(java.util.Locale.ROOT));
    // a command that changed nothing (a second cancel) reports where the order already was
    return reply.put("position", result.changed() ? result.append().lastPosition() : 0L);
  }

  private static List<OrderItem> items(JsonArray lines) {
    if (lines == null || lines.isEmpty()) {
      throw CommandFailedException.invalid("items: at least one item is required");
    }
    List<OrderItem> items = new ArrayList<>(lines.size());
    for (int i = 0; i < lines.size(); i++) {
      JsonObject line = lines.getJsonObject(i);
      String field = "items[" + i + "]";
      try {
        items.add(new OrderItem(line.getString("sku"), line.getInteger("quantity"), new BigDecimal(line.getString("unitPrice"))));
      } catch (RuntimeException e) {
        throw CommandFailedException.invalid(field + ": needs sku, quantity and unitPrice as a decimal string");
      }
      if (items.get(i).quantity() < 1) {
        throw CommandFailedException.invalid(field + ".quantity: must be at least 1");
      }
      if (items.get(i).unitPrice().signum() < 0) {
        throw CommandFailedException.invalid(field + ".unitPrice: must not be negative");
      }
    }
    return items;
  }

  private static Address address(JsonObject json) {
    if (json == null) {
      throw CommandFailedException.invalid("shippingAddress: required");
    }
    return EventJson.fromMap("order.created", json.getMap(), Address.class);
  }

}
