package io.herald.ordersaga;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.command.CommandBus;
import io.herald.saga.SagaStep;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The order saga's steps")
class OrderSagaStepsTest {

  @Test
  @DisplayName("creating the shipment is the one point of no return; everything before it can be undone or needs no undoing")
  void shipmentIsThePivot() {
    Vertx vertx = Vertx.vertx();
    try {
      List<SagaStep> steps = new OrderSagaSteps(new CommandBus(vertx, 1_000), 1_000).steps();
      assertThat(steps).filteredOn(SagaStep::pivot).extracting(SagaStep::name).containsExactly(OrderSagas.CREATE_SHIPMENT);
      assertThat(steps).extracting(SagaStep::name).containsExactly(OrderSagas.CREATE_ORDER, OrderSagas.RESERVE_INVENTORY,
          OrderSagas.PROCESS_PAYMENT, OrderSagas.MARK_PAID, OrderSagas.CREATE_SHIPMENT, OrderSagas.MARK_SHIPPED);
    } finally {
      Futures.await(vertx.close());
    }
  }
}
