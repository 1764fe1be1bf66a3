package io.herald.bench.feeds;

import io.herald.event.DomainEvent;
import io.herald.event.EventEnvelope;
import io.herald.event.EventFactory;
import io.herald.event.domain.BlueprintEvents;
import io.herald.event.domain.InventoryAdjusted;
import io.herald.event.domain.InventoryReleased;
import io.herald.event.domain.InventoryReserved;
import io.herald.event.domain.OrderCancelled;
import io.herald.event.domain.OrderPaid;
import io.herald.event.domain.OrderShipped;
import io.herald.event.domain.PaymentFailed;
import io.herald.event.domain.PaymentProcessed;
import io.herald.event.domain.PaymentRefunded;
import io.herald.event.domain.UserRegistered;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.IntStream;

/** The benchmark's events: ten blueprint event types in turn, each about 400 bytes as CloudEvents JSON. */
final class BenchEventStream {

  static final int TYPES = 10;
  private static final BigDecimal AMOUNT = new BigDecimal("42.50");

  private final EventFactory factory = new EventFactory(BlueprintEvents.registry(), "/herald/load-feeds");

  /** @return the type names, in the order {@link #create} cycles through them */
  List<String> typeNames() {
    return IntStream.range(0, TYPES).mapToObj(i -> create(i).type()).toList();
  }

  /** @return the {@code n}th event: its type is {@code n % TYPES}, its aggregate is new */
  EventEnvelope create(long n) {
    String id = Long.toString(n);
    DomainEvent data = switch ((int) (n % TYPES)) {
      case 0 -> new OrderPaid("ord-" + id, "pay-" + id, AMOUNT);
      case 1 -> new OrderShipped("ord-" + id, "shp-" + id);
      case 2 -> new OrderCancelled("ord-" + id, "changed my mind");
      case 3 -> new PaymentProcessed("pay-" + id, "ord-" + id, AMOUNT);
      case 4 -> new PaymentFailed("pay-" + id, "ord-" + id, AMOUNT, "card declined");
      case 5 -> new PaymentRefunded("pay-" + id, "ord-" + id, AMOUNT, "order cancelled");
      case 6 -> new InventoryAdjusted("sku-" + id, 5);
      case 7 -> new InventoryReserved("sku-" + id, "ord-" + id, 1);
      case 8 -> new InventoryReleased("sku-" + id, "ord-" + id, 1, "order cancelled");
      default -> new UserRegistered("usr-" + id, "user-" + id + "@example.org", "user-" + id);
    };
    return factory.create(data);
  }
}
