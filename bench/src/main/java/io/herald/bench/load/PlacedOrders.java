package io.herald.bench.load;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * The ids of the accepted orders, kept for the saga probe that runs once every order is placed. An id of the node's
 * own form ({@value #PREFIX} and a UUID) is kept as its two longs, 16 bytes instead of a string of about 100: a soak
 * places hundreds of thousands of orders in the JVM whose heap it watches, and the driver's share of that heap should
 * stay small. Used on the driver's context only.
 */
final class PlacedOrders {

  static final String PREFIX = "ord-";
  private static final int FIRST_CAPACITY = 1_024;

  private long[] uuids = new long[2 * FIRST_CAPACITY];
  private int uuidCount;
  private final List<String> others = new ArrayList<>();

  void add(String orderId) {
    UUID uuid = uuidOf(orderId);
    if (uuid == null) {
      others.add(orderId);
      return;
    }
    if (2 * uuidCount == uuids.length) {
      uuids = Arrays.copyOf(uuids, 2 * uuids.length);
    }
    uuids[2 * uuidCount] = uuid.getMostSignificantBits();
    uuids[2 * uuidCount + 1] = uuid.getLeastSignificantBits();
    uuidCount++;
  }

  int size() {
    return uuidCount + others.size();
  }

  /** @return every id as the node answered it; the ones of the node's form first */
  List<String> all() {
    List<String> all = new ArrayList<>(size());
    for (int i = 0; i < uuidCount; i++) {
      all.add(PREFIX + new UUID(uuids[2 * i], uuids[2 * i + 1]));
    }
    all.addAll(others);
    return all;
  }

  /** @return the UUID when {@code orderId} is {@value #PREFIX} and a UUID that prints back as the same text */
  private static UUID uuidOf(String orderId) {
    if (!orderId.startsWith(PREFIX)) {
      return null;
    }
    String text = orderId.substring(PREFIX.length());
    try {
      UUID uuid = UUID.fromString(text);
      return uuid.toString().equals(text) ? uuid : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
