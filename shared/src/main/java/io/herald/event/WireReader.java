package io.herald.event;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads what {@link WireWriter} wrote, from a byte array. */
final class WireReader {

  private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] bytes;
  private int pos;

  WireReader(byte[] bytes, int pos) {
    this.bytes = bytes;
    this.pos = pos;
  }

  int position() {
    return pos;
  }

  byte readByte() {
    return bytes[pos++];
  }

  int readInt() {
    int v = (int) INT.get(bytes, pos);
    pos += 4;
    return v;
  }

  long readLong() {
    long v = (long) LONG.get(bytes, pos);
    pos += 8;
    return v;
  }

  byte[] readBytes(int len) {
    byte[] b = Arrays.copyOfRange(bytes, pos, pos + len);
    pos += len;
    return b;
  }

  /** Parses {@code len} bytes of JSON in place, without copying them out first. */
  <T> T readJson(String eventType, int len, Class<T> type) {
    T value = EventJson.fromBytes(eventType, bytes, pos, len, type);
    pos += len;
    return value;
  }

  String readString() {
    int len = readInt();
    if (len < 0) {
      return null;
    }
    String s = new String(bytes, pos, len, StandardCharsets.UTF_8);
    pos += len;
    return s;
  }
}
