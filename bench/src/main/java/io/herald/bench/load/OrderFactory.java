package io.herald.bench.load;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;
import java.util.SplittableRandom;

/** Random but valid order bodies: a random user among the registered ones, 1 to 3 items, token {@value #TOKEN}. */
final class OrderFactory {

  static final String TOKEN = "tok_visa";
  /** @return the names of {@code count} SKUs orders are placed for */
  static java.util.List<String> skus(int count) {
    return java.util.stream.IntStream.range(0, count).mapToObj(OrderFactory::sku).toList();
  }

  private static String sku(int n) {
    return String.format("LOAD-%03d", n);
  }

  private final List<String> userIds;
  private final int skus;
  private final SplittableRandom random;

  OrderFactory(List<String> userIds, int skus, long seed) {
    this.skus = skus;
    if (userIds.isEmpty()) {
      throw new IllegalArgumentException("no users to place orders for");
    }
    this.userIds = List.copyOf(userIds);
    this.random = new SplittableRandom(seed);
  }

  JsonObject next() {
    JsonArray items = new JsonArray();
    int count = 1 + random.nextInt(3);
    for (int i = 0; i < count; i++) {
      items.add(new JsonObject()
          .put("sku", sku(random.nextInt(skus)))
          .put("quantity", 1 + random.nextInt(5))
          .put("unitPrice", BigDecimal.valueOf(100 + random.nextInt(100_000), 2).toPlainString()));
    }
    return new JsonObject()
        .put("userId", userIds.get(random.nextInt(userIds.size())))
        .put("items", items)
        .put("shippingAddress", new JsonObject()
            .put("street", "1 Load Street")
            .put("city", "Herald")
            .put("postalCode", "10115")
            .put("country", "DE"))
        .put("payment", new JsonObject().put("token", TOKEN));
  }
}
