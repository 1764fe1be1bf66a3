package io.herald.bench.feeds;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.HdrHistogram.Recorder;

/**
 * What one feed connection of the benchmark saw: how many events of the measured window it got, whether they came in
 * order, and each one's delivery delay. Fed on the connection's event loop only.
 */
final class FeedLoadClient {

  private final String type;
  private final Window window;
  private final Recorder delays;
  private long lastPosition;
  private long measured;
  private boolean outOfOrder;
  private volatile boolean closed;

  /** @param type the one type it follows, or {@code null} for every type */
  FeedLoadClient(String type, Window window, Recorder delays) {
    this.type = type;
    this.window = window;
    this.delays = delays;
  }

  String type() {
    return type;
  }

  /** One event as the feed sent it (CloudEvents JSON); only the fields the benchmark needs are read. */
  void onEvent(String json) {
    Instant now = Instant.now();
    long position = longField(json, "\"position\":");
    if (position <= lastPosition) {
      outOfOrder = true;
    }
    lastPosition = position;
    long micros = epochMicros(stringField(json, "\"time\":\""));
    if (window.contains(micros)) {
      measured++;
      delays.recordValue(Math.max(0, ChronoUnit.MICROS.between(Instant.EPOCH, now) - micros));
    }
  }

  void closed() {
    closed = true;
  }

  long measured() {
    return measured;
  }

  boolean outOfOrder() {
    return outOfOrder;
  }

  boolean isClosed() {
    return closed;
  }

  private static long longField(String json, String key) {
    int at = json.indexOf(key) + key.length();
    long value = 0;
    while (at < json.length() && Character.isDigit(json.charAt(at))) {
      value = value * 10 + (json.charAt(at++) - '0');
    }
    return value;
  }

  private static String stringField(String json, String key) {
    int from = json.indexOf(key) + key.length();
    return json.substring(from, json.indexOf('"', from));
  }

  /**
   * {@code 2026-11-27T12:13:24.777473Z} in microseconds since the epoch, read by hand: {@link Instant#parse} cost the
   * client more than the server spent on the event.
   */
  static long epochMicros(String time) {
    long day = java.time.LocalDate.of(digits(time, 0, 4), digits(time, 5, 2), digits(time, 8, 2)).toEpochDay();
    long seconds = day * 86_400 + digits(time, 11, 2) * 3_600L + digits(time, 14, 2) * 60L + digits(time, 17, 2);
    long micros = 0;
    int scale = 100_000;
    for (int i = 20; i < time.length() && Character.isDigit(time.charAt(i)) && scale > 0; i++, scale /= 10) {
      micros += (time.charAt(i) - '0') * (long) scale;
    }
    return seconds * 1_000_000 + micros;
  }

  private static int digits(String text, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      value = value * 10 + (text.charAt(i) - '0');
    }
    return value;
  }

  /** The measured time: events created inside it count. */
  static final class Window {
    private volatile long startMicros = Long.MAX_VALUE;
    private volatile long endMicros = Long.MAX_VALUE;

    void open(Instant at) {
      startMicros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    void close(Instant at) {
      endMicros = ChronoUnit.MICROS.between(Instant.EPOCH, at);
    }

    boolean contains(Instant time) {
      return contains(ChronoUnit.MICROS.between(Instant.EPOCH, time));
    }

    boolean contains(long micros) {
      return micros >= startMicros && micros < endMicros;
    }
  }
}
