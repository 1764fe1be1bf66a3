package io.herald.command;

import static io.herald.testing.Futures.await;
import static io.herald.testing.Futures.failureOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.aggregate.CommandRejectedException;
import io.herald.store.StoreUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** Commands over a real event bus: one Vert.x instance for the class, an address of its own per test. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@DisplayName("Commands on the event bus")
class CommandBusTest {

  private static final String INTERNAL_MESSAGE = "internal error in the service; its log has the details";

  private Vertx vertx;
  private CommandBus bus;
  private final List<MessageConsumer<JsonObject>> consumers = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startVertx() {
    vertx = Vertx.vertx();
    // long enough that only the tests about timeouts can ever see one
    bus = new CommandBus(vertx, 20_000);
  }

  @AfterEach
  void stopListening() {
    List<Future<Void>> unregistered = new ArrayList<>();
    consumers.forEach(c -> unregistered.add(c.unregister()));
    consumers.clear();
    await(Future.all(unregistered));
  }

  @AfterAll
  void stopVertx() {
    await(vertx.close());
  }

  private static String address() {
    return "test.command." + UUID.randomUUID();
  }

  private void listen(CommandEndpoint endpoint) {
    consumers.add(await(endpoint.listen()));
  }

  /** An endpoint whose single action {@code act} answers with {@code handler}. */
  private String serve(java.util.function.Function<JsonObject, Future<JsonObject>> handler) {
    String address = address();
    listen(CommandEndpoint.on(vertx, address).action("act", handler));
    return address;
  }

  private static CommandFailedException commandFailure(Future<?> future) {
    Throwable failure = failureOf(future);
    assertThat(failure).isInstanceOf(CommandFailedException.class);
    return (CommandFailedException) failure;
  }

  private static int busCode(CommandFailedException failure) {
    assertThat(failure.getCause()).isInstanceOf(ReplyException.class);
    return ((ReplyException) failure.getCause()).failureCode();
  }

  @Test
  @DisplayName("a request reaches the handler of its action, which gets the body and answers with the reply")
  void requestReachesItsAction() {
    String address = address();
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    AtomicInteger otherCalls = new AtomicInteger();
    listen(CommandEndpoint.on(vertx, address)
        .action("greet", body -> {
          received.add(body);
          return Future.succeededFuture(new JsonObject().put("greeting", "hello " + body.getString("name")));
        })
        .action("count", body -> {
          otherCalls.incrementAndGet();
          return Future.succeededFuture(new JsonObject().put("count", 42));
        }));

    JsonObject reply = await(bus.request(address, "greet", new JsonObject().put("name", "Ada")));

    assertThat(reply).isEqualTo(new JsonObject().put("greeting", "hello Ada"));
    assertThat(received).containsExactly(new JsonObject().put("name", "Ada"));
    assertThat(otherCalls).hasValue(0);
    assertThat(await(bus.request(address, "count", new JsonObject()))).isEqualTo(new JsonObject().put("count", 42));
  }

  @Test
  @DisplayName("a request without a body reaches its handler as an empty object")
  void nullBodyIsEmptyObject() {
    List<JsonObject> received = new CopyOnWriteArrayList<>();
    String address = serve(body -> {
      received.add(body);
      return Future.succeededFuture(new JsonObject().put("fields", body.size()));
    });

    JsonObject reply = await(bus.request(address, "act", null));

    assertThat(reply).isEqualTo(new JsonObject().put("fields", 0));
    assertThat(received).containsExactly(new JsonObject());
  }

  @Test
  @DisplayName("an unknown action fails as INVALID (400) naming the action and the known ones")
  void unknownAction() {
    String address = address();
    AtomicInteger calls = new AtomicInteger();
    listen(CommandEndpoint.on(vertx, address)
        .action("create", body -> {
          calls.incrementAndGet();
          return Future.succeededFuture(new JsonObject());
        })
        .action("get", body -> {
          calls.incrementAndGet();
          return Future.succeededFuture(new JsonObject());
        }));

    CommandFailedException failure = commandFailure(bus.request(address, "delete", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.INVALID);
    assertThat(busCode(failure)).isEqualTo(400);
    assertThat(failure).hasMessageContaining(address).hasMessageContaining("no action 'delete'")
        .hasMessageContaining("known: create, get");
    assertThat(calls).hasValue(0);
  }

  @Test
  @DisplayName("a handler rejecting the command arrives as CONFLICT (409) with the rejection's reason")
  void rejectedIsConflict() {
    String address = serve(body -> Future.failedFuture(new CommandRejectedException("o-1", "order o-1 already paid")));

    CommandFailedException failure = commandFailure(bus.request(address, "act", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.CONFLICT);
    assertThat(busCode(failure)).isEqualTo(409);
    assertThat(failure).hasMessage("order o-1 already paid");
  }

  @Test
  @DisplayName("an IllegalArgumentException arrives as INVALID (400) with its message")
  void illegalArgumentIsInvalid() {
    String address = serve(body -> Future.failedFuture(new IllegalArgumentException("quantity must be >= 1, was 0")));

    CommandFailedException failure = commandFailure(bus.request(address, "act", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.INVALID);
    assertThat(busCode(failure)).isEqualTo(400);
    assertThat(failure).hasMessage("quantity must be >= 1, was 0");
  }

  @Test
  @DisplayName("a StoreUnavailableException arrives as UNAVAILABLE (503)")
  void storeUnavailableIsUnavailable() {
    String address = serve(body -> Future.failedFuture(
        new StoreUnavailableException("store at db:5432 is unreachable", new ConnectException("refused"))));

    CommandFailedException failure = commandFailure(bus.request(address, "act", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.UNAVAILABLE);
    assertThat(busCode(failure)).isEqualTo(503);
    assertThat(failure).hasMessageContaining("the event store is unavailable")
        .hasMessageContaining("store at db:5432 is unreachable");
  }

  @Test
  @DisplayName("a CommandFailedException keeps its own failure and message (NOT_FOUND, 404)")
  void commandFailureKeepsItsKind() {
    String address = serve(body -> Future.failedFuture(CommandFailedException.notFound("order o-404 does not exist")));

    CommandFailedException failure = commandFailure(bus.request(address, "act", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.NOT_FOUND);
    assertThat(busCode(failure)).isEqualTo(404);
    assertThat(failure).hasMessage("order o-404 does not exist");
  }

  @Test
  @DisplayName("an unexpected exception arrives as INTERNAL (500) with a generic message that does not leak its own")
  void unexpectedIsInternal() {
    String secret = "password=hunter2 at jdbc:postgresql://db/prod";
    String address = serve(body -> Future.failedFuture(new IllegalStateException(secret)));

    CommandFailedException failure = commandFailure(bus.request(address, "act", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.INTERNAL);
    assertThat(busCode(failure)).isEqualTo(500);
    assertThat(failure).hasMessage(INTERNAL_MESSAGE);
    assertThat(failure.getMessage()).doesNotContain("hunter2");
    assertThat(failure.getCause().getMessage()).doesNotContain("hunter2");
  }

  @Test
  @DisplayName("a handler that throws is treated like one whose future failed, not left to time out")
  void synchronousThrowIsAFailure() {
    String invalid = serve(body -> {
      throw new IllegalArgumentException("field 'email' is missing");
    });
    String internal = serve(body -> {
      throw new IllegalStateException("null pointer somewhere secret");
    });

    // a handler left without an answer would show up as TIMEOUT after these 5 s
    CommandFailedException invalidFailure = commandFailure(bus.request(invalid, "act", new JsonObject(), 5_000));
    CommandFailedException internalFailure = commandFailure(bus.request(internal, "act", new JsonObject(), 5_000));

    assertThat(invalidFailure.failure()).isEqualTo(CommandFailure.INVALID);
    assertThat(invalidFailure).hasMessage("field 'email' is missing");
    assertThat(internalFailure.failure()).isEqualTo(CommandFailure.INTERNAL);
    assertThat(internalFailure).hasMessage(INTERNAL_MESSAGE);
  }

  @Test
  @DisplayName("a request to an address nobody listens on fails as UNAVAILABLE naming the address")
  void noConsumerIsUnavailable() {
    String address = address();

    CommandFailedException failure = commandFailure(bus.request(address, "create", new JsonObject()));

    assertThat(failure.failure()).isEqualTo(CommandFailure.UNAVAILABLE);
    assertThat(failure).hasMessageContaining("'" + address + "'");
  }

  @Test
  @DisplayName("a handler that never answers fails as TIMEOUT after the request's timeout, naming address and action")
  void silentHandlerTimesOut() {
    Promise<JsonObject> never = Promise.promise();
    AtomicInteger calls = new AtomicInteger();
    String address = serve(body -> {
      calls.incrementAndGet();
      return never.future();
    });

    long start = System.nanoTime();
    CommandFailedException failure = commandFailure(bus.request(address, "act", new JsonObject(), 300));
    long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(failure.failure()).isEqualTo(CommandFailure.TIMEOUT);
    assertThat(failure).hasMessageContaining("'" + address + "'").hasMessageContaining("'act'")
        .hasMessageContaining("300 ms");
    assertThat(calls).as("the handler was reached").hasValue(1);
    assertThat(elapsedMs).as("waited for the request's own timeout, not the bus default")
        .isGreaterThanOrEqualTo(290).isLessThan(10_000);
  }

  @Test
  @DisplayName("without a timeout of its own a request waits for the bus's timeout")
  void defaultTimeout() {
    String address = serve(body -> Promise.<JsonObject>promise().future());
    CommandBus quick = new CommandBus(vertx, 250);

    CommandFailedException failure = commandFailure(quick.request(address, "act", new JsonObject()));

    assertThat(quick.timeoutMs()).isEqualTo(250);
    assertThat(failure.failure()).isEqualTo(CommandFailure.TIMEOUT);
    assertThat(failure).hasMessageContaining("within 250 ms");
  }

  @Test
  @DisplayName("a bus refuses a timeout below 1 ms")
  void badTimeout() {
    assertThatThrownBy(() -> new CommandBus(vertx, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timeoutMs");
  }

  @Test
  @DisplayName("registering an action twice is refused, and the first handler stays in place")
  void actionRegisteredTwice() {
    String address = address();
    CommandEndpoint endpoint = CommandEndpoint.on(vertx, address)
        .action("create", body -> Future.succeededFuture(new JsonObject().put("handler", "first")));

    assertThatThrownBy(() -> endpoint.action("create", body -> Future.succeededFuture(new JsonObject().put("handler", "second"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'create'").hasMessageContaining(address);

    listen(endpoint);
    assertThat(await(bus.request(address, "create", new JsonObject()))).isEqualTo(new JsonObject().put("handler", "first"));
  }

  @Test
  @DisplayName("a failure code from any replier maps onto its failure; a code it does not know is INTERNAL")
  void foreignFailureCodes() {
    String declined = address();
    String teapot = address();
    MessageConsumer<JsonObject> payments = vertx.eventBus().consumer(declined, m -> m.fail(402, "card declined"));
    MessageConsumer<JsonObject> kettles = vertx.eventBus().consumer(teapot, m -> m.fail(418, "I'm a teapot"));
    consumers.add(payments);
    consumers.add(kettles);
    await(Future.all(payments.completion(), kettles.completion()));

    CommandFailedException payment = commandFailure(bus.request(declined, "pay", new JsonObject()));
    CommandFailedException unknown = commandFailure(bus.request(teapot, "brew", new JsonObject()));

    assertThat(payment.failure()).isEqualTo(CommandFailure.PAYMENT_REQUIRED);
    assertThat(payment).hasMessage("card declined");
    assertThat(unknown.failure()).isEqualTo(CommandFailure.INTERNAL);
    assertThat(unknown).hasMessage("I'm a teapot");
  }
}
