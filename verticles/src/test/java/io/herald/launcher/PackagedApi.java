package io.herald.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** What the tests that drive herald.jar's HTTP API share: reading answers, an order body, the head, waiting. */
final class PackagedApi {

  private PackagedApi() {
  }

  /** @return the body of a 200, 201 or 202 answer; fails naming the answer otherwise */
  static JsonObject accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("%s answered %s", response.uri(), response.body()).isIn(200, 201, 202);
    return new JsonObject(response.body());
  }

  /** @return the body of a 200 answer; fails naming the answer otherwise */
  static JsonObject ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as("%s answered %s", response.uri(), response.body()).isEqualTo(200);
    return new JsonObject(response.body());
  }

  /** An order of one unit of {@code sku} at 4.00, paid with {@code token}. */
  static JsonObject order(String userId, String sku, String token, String street) {
    return new JsonObject().put("userId", userId)
        .put("items", new JsonArray().add(new JsonObject().put("sku", sku).put("quantity", 1).put("unitPrice", "4.00")))
        .put("shippingAddress", new JsonObject().put("street", street).put("city", "Lyon")
            .put("postalCode", "69001").put("country", "FR"))
        .put("payment", new JsonObject().put("token", token));
  }

  /** @return the store's head, the position of the last event stored so far, paging {@code /api/events} with {@code get} */
  static long head(Function<String, HttpResponse<String>> get) {
    long from = 1;
    long last = 0;
    while (true) {
      JsonObject page = ok(get.apply("/api/events?from=" + from + "&limit=1000"));
      JsonArray events = page.getJsonArray("events");
      if (events.isEmpty()) {
        return last;
      }
      last = events.getJsonObject(events.size() - 1).getLong("position");
      from = page.getLong("next");
    }
  }

  /**
   * Asks {@code probe} every 100 ms until {@code done} holds, and answers what it gave then. A probe that fails (a node
   * still starting, or one that just died) is asked again; after {@code limit} the wait fails naming the last answer.
   */
  static <T> T eventually(Supplier<T> probe, Predicate<T> done, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      try {
        last = probe.get();
        if (done.test(last)) {
          return last;
        }
      } catch (AssertionError | RuntimeException e) {
        last = null;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out after " + limit + "; last answer: " + (last instanceof HttpResponse<?> r
        ? r.statusCode() + " " + r.body() : last));
  }

  /** @return {@code prefix} with a random suffix, for names no other test uses */
  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
