package io.herald.examples;

import io.herald.broker.BrokerSubscription;
import io.herald.event.RecordedEvent;
import io.herald.event.domain.OrderPaid;
import io.herald.delivery.Consumers;
import io.herald.delivery.pg.PgInbox;
import io.vertx.core.CompositeFuture;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** One consumer group per delivery guarantee (docs/consuming.md). */
public final class ConsumersExample {

  /** Stands in for an SMTP client: records what it was asked to send. */
  static final class Mailer {
    final List<RecordedEvent> sent = new CopyOnWriteArrayList<>();

    Future<Void> send(RecordedEvent event) {
      sent.add(event);
      return Future.succeededFuture();
    }
  }

  /** Counts deliveries by event type. */
  static final class Counters {
    final Map<String, Integer> byType = new ConcurrentHashMap<>();

    Future<Void> count(RecordedEvent event) {
      byType.merge(event.type(), 1, Integer::sum);
      return Future.succeededFuture();
    }
  }

  final Mailer mailer = new Mailer();
  final Counters counters = new Counters();

  /** Joins the three groups; the ledger table must exist in the pool's schema. */
  CompositeFuture subscribe(Consumers consumers, Pool pool) {
    // doc:consumers
    Future<BrokerSubscription> notification =
        consumers.atLeastOnce("notification", List.of("user.registered"), event -> mailer.send(event));
    Future<BrokerSubscription> metrics =
        consumers.atMostOnce("metrics", List.of("*"), event -> counters.count(event));
    Future<BrokerSubscription> billing = consumers.effectivelyOnce("billing", List.of("order.paid"), new PgInbox(pool),
        (event, tx) -> tx.preparedQuery("INSERT INTO ledger (order_id, amount) VALUES ($1, $2)")
            .execute(Tuple.of(event.streamId(), ((OrderPaid) event.data()).amount()))
            .mapEmpty());
    // end:consumers
    return Future.all(notification, metrics, billing);
  }
}
