package io.herald.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.event.RecordedEvent;
import io.herald.testing.Futures;
import io.vertx.core.Vertx;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("docs sample: the library on the in-memory store")
class InMemoryStoreExampleTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() {
    Futures.await(vertx.close());
  }

  @Test
  @DisplayName("the appended event of your own type is read back as version 1 of its stream, data intact")
  void appendsAndReadsBack() {
    List<RecordedEvent> stream = Futures.await(InMemoryStoreExample.run(vertx));

    assertThat(stream).hasSize(1);
    RecordedEvent event = stream.get(0);
    assertThat(event.type()).isEqualTo("cart.checked-out");
    assertThat(event.version()).isEqualTo(1);
    assertThat(event.envelope().aggregatetype()).isEqualTo("cart");
    assertThat(event.data()).isEqualTo(new CartCheckedOut("cart-7", "usr-1", new BigDecimal("19.90")));
  }
}
